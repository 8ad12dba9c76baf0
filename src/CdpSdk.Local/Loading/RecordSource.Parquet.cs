using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Loading;

internal abstract partial class RecordSource
{
    /// <summary>
    /// A Parquet file, read with DuckDB's own Parquet reader on a private in-memory database (never the
    /// warehouse connection, which holds the load's appender and transaction). Rows are streamed chunk by chunk,
    /// so memory stays flat in file size. The schema is read from the footer before any row, so a file that is
    /// not Parquet fails before anything is staged; each column comes with the warehouse type its Parquet
    /// type maps to (<see cref="ParquetTypes"/>), and values arrive already as that type.
    /// </summary>
    sealed class ParquetSource : RecordSource
    {
        readonly string _path;
        readonly string[] _names;
        readonly ParquetTypes.Column[] _columns;

        public ParquetSource(string path, string label) : base(label)
        {
            _path = path;
            using var connection = Connect();
            List<object?[]> schema;
            try { schema = Sql.Read(connection, $"DESCRIBE SELECT * FROM {Scan(path)}"); }
            catch (DuckDBException e) { throw ParquetErrors.Unreadable(label, path, e); }
            _columns = schema.Select(r => ParquetTypes.Map((string)r[0]!, (string)r[1]!)).ToArray();
            _names = _columns.Select(c => c.Name).ToArray();
            CheckNames();
        }

        public override IReadOnlyList<string> Columns => _names;

        public override IReadOnlyList<DeclaredType>? DeclaredTypes => _columns.Select(c => new DeclaredType(c.WarehouseType, c.FileType)).ToArray();

        public override IEnumerable<Record> Read()
        {
            using var connection = Connect();
            using var command = Sql.Command(connection, $"SELECT {string.Join(", ", _columns.Select(c => c.Select))} FROM {Scan(_path)}");
            command.UseStreamingMode = true;
            DuckDBDataReader reader;
            try { reader = command.ExecuteReader(); }
            catch (DuckDBException e) { throw ParquetErrors.BadValue(Label, _path, 0, e); }
            using (reader)
            {
                long row = 0;
                while (true)
                {
                    object?[] values;
                    try
                    {
                        if (!reader.Read()) break;
                        values = new object?[_names.Length];
                        for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }
                    catch (DuckDBException e) { throw ParquetErrors.BadValue(Label, _path, row, e); }
                    row++;
                    yield return new Record(_names, values);
                }
            }
        }

        /// <summary>Warehouse columns are not case-sensitive; Parquet's are, so `Email` and `email` would collide in the table.</summary>
        void CheckNames()
        {
            if (_names.Length == 0)
                throw DataFileError.At(LocalErrors.BadParquetFile, Label, 0, 0, "the Parquet file has no columns");
            foreach (var twice in _names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                throw DataFileError.At(LocalErrors.BadParquetFile, Label, 0, 0,
                    $"the Parquet file has the column '{twice.Key}' twice (column names are not case-sensitive in the warehouse); rename one of them where the file is written");
        }

        /// <summary>
        /// The file's own columns only: DuckDB would otherwise add a column for each `key=value` folder of the path
        /// (hive partitioning), so the same file would load differently depending on where it lies.
        /// </summary>
        static string Scan(string path) => $"read_parquet({Sql.Literal(path)}, hive_partitioning = false)";

        /// <summary>Times with a zone are turned into UTC, as TD's loader writes timestamps (default_timezone UTC).</summary>
        static DuckDBConnection Connect()
        {
            var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            Sql.Execute(connection, "SET TimeZone = 'UTC'");
            return connection;
        }
    }
}

/// <summary>The type a column of a file declares (Parquet), as the warehouse stores it and as the file names it, for messages.</summary>
internal sealed record DeclaredType(string Warehouse, string InFile);
