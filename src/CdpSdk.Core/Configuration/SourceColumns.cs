using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// The columns a pipeline table has, as far as the project says without a warehouse: an object's table and
/// its hist-union copy have the columns of its CSV header (or its Columns metadata); a staging table adds its
/// cleaned_/standardized_ columns. Null when the project cannot tell (JSON or Parquet data: Core reads no Parquet schema; a user's TransformSql).
/// </summary>
internal static class SourceColumns
{
    public static IReadOnlyList<string>? Of(PipelineSpec spec, string database, string table)
    {
        foreach (var o in spec.Objects)
        {
            var source = spec.Sources.FirstOrDefault(s => s.Name == o.Source);
            if (source is null || source.Database != database) continue;
            if (table == o.Table || table == o.HistTable || table == o.Table + "_hist_union")
                return ObjectColumns(spec, o, table == o.HistTable && o.HistoricalLocation.Length > 0 ? o.HistoricalLocation : o.Location);
        }
        var staging = spec.Staging.FirstOrDefault(s => s.Database == database && s.Output == table);
        if (staging is null || staging.TransformSql.Length > 0) return null;
        var input = Of(spec, staging.InputDatabase, staging.Input);
        return input?.Concat(staging.EmailColumns.Select(c => "cleaned_" + c))
            .Concat(staging.PhoneColumns.Concat(staging.TimestampColumns).Select(c => "standardized_" + c)).Distinct().ToList();
    }

    static IReadOnlyList<string>? ObjectColumns(PipelineSpec spec, ObjectSpec o, string location)
    {
        if (o.Csv.Columns.Count > 0) return o.Csv.Columns;
        if (!o.Format.Equals("csv", StringComparison.OrdinalIgnoreCase)) return null;
        var path = Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, location));
        if (!File.Exists(path)) return null;
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null) return null;
        return header.TrimStart('\uFEFF').Split(o.Csv.Delimiter).Select(c => c.Trim().Trim(o.Csv.Quote.FirstOrDefault('"'))).Where(c => c.Length > 0).ToList();
    }
}
