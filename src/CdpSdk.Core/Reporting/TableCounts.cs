using System.Globalization;
using CdpSdk.Core.Generation;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Reporting;

/// <summary>A phase's tables in words, data apart from the log and stats tables every run appends to.</summary>
public static class TableCounts
{
    /// <summary>"8 tables, 1,234 rows" for the data, then "+ 1 log table (16 rows)" when there are log or stats tables.</summary>
    public static string Text(IReadOnlyList<TableRecord> tables)
    {
        var data = tables.Where(t => !PhaseTables.IsLog(t.Table)).ToList();
        var logs = tables.Where(t => PhaseTables.IsLog(t.Table)).ToList();
        var text = $"{data.Count} tables, {data.Sum(t => t.Rows).ToString("N0", CultureInfo.InvariantCulture)} rows";
        return logs.Count == 0 ? text
            : $"{text} + {logs.Count} log table{(logs.Count == 1 ? "" : "s")} ({logs.Sum(t => t.Rows).ToString("N0", CultureInfo.InvariantCulture)} rows)";
    }
}
