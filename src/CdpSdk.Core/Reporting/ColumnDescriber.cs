using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Reporting;

/// <summary>What a column means and where it comes from, derived from the spec that produced it.</summary>
internal sealed class ColumnDescriber(PipelineSpec spec)
{
    static readonly Dictionary<string, string> LogColumns = new()
    {
        ["source_name"] = "CdpSource of the load",
        ["object_name"] = "CdpObject of the load",
        ["table_name"] = "Table the load wrote",
        ["status"] = "success or error",
        ["records_loaded"] = "Rows the load wrote",
        ["time"] = "Session time of the load (unix seconds)",
    };

    public (string Description, string Source) Describe(Phase phase, string database, string table, string column)
    {
        if (table == PhaseTables.IngestionLog)
            return (LogColumns.GetValueOrDefault(column, "Ingestion log column"), "ingestion workflow");
        return phase switch
        {
            Phase.Ingestion => Ingested(database, table, column),
            Phase.HistUnion => HistUnion(table, column),
            Phase.Staging => Staging(table, column),
            _ => Unified(table, column),
        };
    }

    (string, string) Ingested(string database, string table, string column)
    {
        var o = spec.Objects.FirstOrDefault(x => x.Table == table || x.HistTable == table);
        if (o is null) return ("Loaded column", database);
        var s = spec.SourceOf(o);
        var where = table == o.HistTable ? o.HistoricalLocation : o.Location;
        var what = column == o.PrimaryKey ? "Primary key" : column == s.IncrementalField ? "Incremental field (drives incremental loads)" : "As loaded";
        return ($"{what}", $"{s.Name}.{o.Name} ({(s.Connector == "file" ? where : s.Connector)})");
    }

    (string, string) HistUnion(string table, string column)
    {
        var h = spec.HistUnion.FirstOrDefault(x => x.Output == table);
        if (h is null) return ("Hist-union column", "");
        var what = column == h.PrimaryKey ? $"Primary key: one row per {column}, its latest version by {h.IncrementalField}" : "Latest version of the record";
        return (what, string.Join(" + ", new[] { h.HistTable, h.IncTable }.OfType<string>().Select(t => $"{h.Database}.{t}")));
    }

    (string, string) Staging(string table, string column)
    {
        var s = spec.Staging.FirstOrDefault(x => x.Output == table);
        if (s is null) return ("Staging column", "");
        var from = $"{s.InputDatabase}.{s.Input}";
        if (column.StartsWith("cleaned_", StringComparison.Ordinal) && s.EmailColumns.Contains(column["cleaned_".Length..]))
            return ($"Email {column["cleaned_".Length..]}, trimmed and lower-cased", $"{from}.{column["cleaned_".Length..]}");
        if (column.StartsWith("standardized_", StringComparison.Ordinal))
        {
            var original = column["standardized_".Length..];
            if (s.PhoneColumns.Contains(original)) return ($"Phone {original}, digits only", $"{from}.{original}");
            if (s.TimestampColumns.Contains(original)) return ($"Timestamp {original} as ISO 8601 UTC", $"{from}.{original}");
        }
        return ("Copied unchanged", $"{from}.{column}");
    }

    (string, string) Unified(string table, string column)
    {
        foreach (var u in spec.Unifications)
        {
            if (table == u.IdName + "_lookup")
                return (column switch { "id" => $"The {u.IdName} a key value belongs to", "key_value" => "A key value (e.g. an email)", "key_type" => "The key it is a value of", _ => "Lookup column" }, $"unification {u.Name}");
            if (table == u.IdName + "_result_key_stats")
                return ("Key statistics per input table ('*' = all)", $"unification {u.Name}");
            var t = u.Tables.FirstOrDefault(x => x.EnrichedTable == table);
            if (t is null) continue;
            if (column == u.IdName) return ($"Unified profile id ({u.IdMethod.ToTd()}), shared by every record of one person", $"unification {u.Name}");
            var key = t.KeyColumns.FirstOrDefault(k => k.Column == column);
            return (key is null ? "Copied unchanged" : $"Key column for '{key.Key}'", $"{t.Database}.{t.Table}.{column}");
        }
        return ("Unification column", "");
    }
}
