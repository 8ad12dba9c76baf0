using System.Data.Common;

namespace CdpSdk.Local.Warehouse;

/// <summary>Rows of any ADO.NET reader (SQLite or DuckDB) as plain values, NULL as null.</summary>
internal static class DataRows
{
    public static object?[] Current(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    public static List<object?[]> ReadAll(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read()) rows.Add(Current(reader));
        return rows;
    }
}
