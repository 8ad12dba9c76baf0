using System.Data.Common;

namespace CdpSdk.Local.Warehouse;

/// <summary>Rows of a DuckDB reader as plain values, NULL as null.</summary>
internal static class DataRows
{
    public static object?[] Current(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Plain(reader.GetValue(i));
        return row;
    }

    /// <summary>
    /// DuckDB's sum() of integers is a HUGEINT (BigInteger), where Presto's is a bigint: a value that fits is
    /// a long, as Presto and every reader of the rows expect.
    /// </summary>
    static object Plain(object value) =>
        value is System.Numerics.BigInteger big && big >= long.MinValue && big <= long.MaxValue ? (long)big : value;

    public static List<object?[]> ReadAll(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read()) rows.Add(Current(reader));
        return rows;
    }
}
