using System.Diagnostics;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Testing;

/// <summary>
/// Runs CdpTest items: renders the tested transform as Generate renders it for TD (Presto SQL: a staging
/// table's cleaning and TransformSql, a hist-union query; or the Local unification and its enrichment),
/// runs it on the given rows in a scratch database, and compares the output with the expected rows.
/// </summary>
public sealed class UnitTestRunner(PipelineSpec spec, IScratchEngine engine, TimeProvider clock)
{
    /// <summary>The result and, when it did not pass, the coded diagnostics (CDP5300, CDP5301, CDP0305) at the expected rows' lines.</summary>
    public (UnitTestResult Result, IReadOnlyList<Diagnostic> Problems) Run(UnitTestSpec test, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var sql = "";
        ScratchOutput output;
        try
        {
            var inputs = Inputs(test);
            (sql, output) = Transform(test, inputs, ct);
        }
        catch (CdpException e)
        {
            var message = $"the transform could not run: {e.Message}";
            return (Result(test, CheckStatus.Error, message, [], sql, started, watch),
                [Diagnostic.Error("CDP5301", $"{test.Phase}: test {test.Name} of {test.Table}: {message}", test.At)]);
        }

        var problems = new List<Diagnostic>();
        if (!ExpectedColumns.Check(problems, test.Name, test.Expect, output.Columns, $"the output of {test.Table}"))
            return (Result(test, CheckStatus.Error, problems[0].Message, [], sql, started, watch), problems);
        var differences = RowDiff.Compare(test.Expect, output);
        if (differences.Count == 0)
            return (Result(test, CheckStatus.Pass, $"{test.Expect.Rows.Count} row(s) as expected", [], sql, started, watch), []);

        var summary = $"{differences.Count} difference(s) from the expected rows: {RowDiff.Describe(differences)}";
        var line = differences.FirstOrDefault(d => d.Line > 0)?.Line ?? test.Expect.At.Line;
        problems.Add(Diagnostic.Error("CDP5300", $"{test.Phase}: test {test.Name} of {test.Table} failed: {summary}.", test.Expect.At with { Line = line }));
        return (Result(test, CheckStatus.Fail, summary, differences, sql, started, watch), problems);
    }

    /// <summary>Every input of the transform: the given rows, over the columns the table has (absent ones NULL); untouched inputs empty.</summary>
    List<ScratchTable> Inputs(UnitTestSpec test)
    {
        var all = TestInputs.Of(spec, test.Phase, test.Database, test.Table).All;
        var tables = new List<ScratchTable>();
        foreach (var (database, table) in all)
        {
            var given = test.Given.FirstOrDefault(g => g.Database == database && g.Table == table)?.Rows ?? TestRows.Empty;
            var columns = given.Columns.ToList();
            foreach (var c in ColumnsOf(database, table).Where(c => !columns.Any(g => g.Name.Equals(c, StringComparison.OrdinalIgnoreCase))))
                columns.Add(new TestColumn(c));
            var rows = given.Rows.Select(r => (IReadOnlyList<string?>)r.Values.Concat(Enumerable.Repeat<string?>(null, columns.Count - r.Values.Count)).ToList()).ToList();
            tables.Add(new ScratchTable(database, table, columns, rows));
        }
        return tables;
    }

    /// <summary>The columns a table has by the project (its CSV header), plus those the transforms name, so a query never misses one.</summary>
    IEnumerable<string> ColumnsOf(string database, string table)
    {
        var named = new List<string>();
        named.AddRange(SourceColumns.Of(spec, database, table) ?? []);
        foreach (var h in spec.HistUnion.Where(h => h.Database == database && (h.HistTable == table || h.IncTable == table)))
            named.AddRange([h.PrimaryKey, h.IncrementalField]);
        foreach (var s in spec.Staging.Where(s => s.InputDatabase == database && s.Input == table))
            named.AddRange(s.EmailColumns.Concat(s.PhoneColumns).Concat(s.TimestampColumns).Append(s.IncrementalField));
        foreach (var s in spec.Staging.Where(s => s.Database == database && s.Output == table))
            named.Add(s.IncrementalField);
        foreach (var u in spec.Unifications)
            foreach (var t in u.Tables.Where(t => t.Database == database && t.Table == table))
                named.AddRange(t.KeyColumns.Select(k => k.Column));
        return named.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    (string Sql, ScratchOutput Output) Transform(UnitTestSpec test, List<ScratchTable> inputs, CancellationToken ct)
    {
        var presto = SqlDialects.Presto;
        switch (test.Phase)
        {
            case Phase.Staging:
                var s = spec.Staging.First(x => x.Database == test.Database && x.Output == test.Table);
                var staging = StagingGenerator.TransformSql(presto, s, StagingGenerator.UserSql(spec, s, presto));
                return (staging, engine.Query(inputs, staging, $"{s.Output}_transform.sql", ct));
            case Phase.HistUnion:
                var h = spec.HistUnion.First(x => x.Database == test.Database && x.Output == test.Table);
                var union = HistUnionGenerator.UnionSql(presto, h);
                return (union, engine.Query(inputs, union, $"{h.Table}_union.sql", ct));
            default:
                // The tests run on the Local engine whatever the target, so the unification is the Local one.
                var local = spec with { Settings = spec.Settings with { Target = TargetKind.Local } };
                var (u, t) = TestInputs.Unified(spec, test.Database, test.Table);
                var yml = UnificationGenerator.UnifyYml(local, u);
                string? query = null;
                var output = engine.Unify(inputs, yml, d => query = t is null
                    ? $"SELECT * FROM {d.Table(u.Database, test.Table)}"
                    : UnificationSql.Enrich(d, TargetKind.Local, u, t), ct);
                return (query ?? yml, output);
        }
    }

    static UnitTestResult Result(UnitTestSpec t, CheckStatus status, string message, IReadOnlyList<RowDifference> differences, string sql, DateTimeOffset started, Stopwatch watch) =>
        new(t.Name, t.Phase.ToString(), $"{t.Database}.{t.Table}", status, message, differences, sql, started, watch.ElapsedMilliseconds);
}
