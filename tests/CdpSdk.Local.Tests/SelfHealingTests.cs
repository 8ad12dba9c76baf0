using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.Testing;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Each entry of the diagnosis catalogue provoked for real on the Local target (DuckDB warehouse, the
/// Digdag runner, a loopback HTTP source) through the phase runner, and the failure as the build sees it
/// diagnosed. Not provokable on Local, so not here:
/// CDP6102 (missing database): Local creates a database on first use; a dropped upstream database (schema)
/// shows as a missing table instead (<see cref="ADeletedUpstreamDatabaseIsAMissingTableOnLocal"/>).
/// CDP6107 (monitor timeout): Local runs a workflow inside Execute, so a build never waits for its own
/// attempts, and one left running by a process that died is marked killed (CDP6108). Only a second build
/// could monitor an attempt still running, and it cannot get that far: the first build's process holds the
/// warehouse file's lock, so the second's Execute fails with CDP3014 (BrokenWarehouseTests).
/// </summary>
[NonParallelizable]
public partial class SelfHealingTests : RetailSampleTest
{
    const string AuthEnv = "CDP_TEST_HEALING_AUTH";

    [TearDown]
    public void ClearAuth() => Environment.SetEnvironmentVariable(AuthEnv, null);

    [Test]
    [Reaches(DiagnosisCatalog.WorkflowSyntax)]
    public async Task AHandBrokenWorkflowFileIsASyntaxErrorFixedByRegenerating()
    {
        // Kept (CdpHandEditedFiles=Keep), so the broken file reaches the runner; by default Deploy would stop first with CDP6111.
        var h = new Harness(Sample, KeepHandEdits(Sample.Spec()));
        await PhaseRunner.RunAsync(h.Context(Phase.Ingestion), Step.Generate);
        var dig = Directory.EnumerateFiles(h.Context(Phase.Ingestion).ProjectDirectory, "*.dig").Order(StringComparer.Ordinal).First();
        File.AppendAllText(dig, "\n+broken: [unclosed\n");

        var (error, step) = await FailingStep(h, Phase.Ingestion, from: Step.Deploy);
        var d = Diagnose(error, Phase.Ingestion, step);

        Assert.That(error.Diagnostic.Code, Is.EqualTo("CDP4001"), "Local reports the runner's CDP3006 through the failed workflow");
        Assert.That(error.Message, Does.Contain("CDP3006"));
        AssertWords(error.Message, Path.GetFileName(dig));
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpGenerate")));
        Assert.That(d.AppliesAutonomously(0.8), Is.True);
    }

    [Test]
    [Reaches(DiagnosisCatalog.MissingTable)]
    public async Task AnUpstreamTableDroppedAfterValidationIsAMissingTable()
    {
        var h = new Harness(Sample, Sample.Spec());
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);
        using (var backend = Sample.Backend(Sample.Spec()))
            await backend.QueryAsync("retail_src", "DROP TABLE shopify_customers_hist_union", CancellationToken.None);

        var (error, step) = await FailingStep(h, Phase.Staging);
        var d = Diagnose(error, Phase.Staging, step);

        AssertWords(error.Message, "Table with name retail_src.shopify_customers_hist_union does not exist");
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.MissingTable, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpPipeline")));
        Assert.That(d.Title, Does.Contain("retail_src.shopify_customers_hist_union"));
    }

    [Test]
    [Reaches(DiagnosisCatalog.MissingTable)]
    public async Task ADeletedUpstreamDatabaseIsAMissingTableOnLocal()
    {
        var spec = Sample.Spec();
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);
        new Warehouse.DuckDbWarehouse(spec.Settings.WarehouseDir, spec.Settings.Client).DropDatabase("retail_src");

        var (error, step) = await FailingStep(h, Phase.Staging);
        var d = Diagnose(error, Phase.Staging, step);

        // The schema is gone, so the query names a table DuckDB cannot find.
        Assert.That(d.Code, Is.EqualTo(DiagnosisCatalog.MissingTable), error.Message);
        Assert.That(d.Title, Does.Contain("retail_src."));
    }

    [TestCase("cleaned_emial", "cleaned_email", true)]
    [TestCase("emial", "email", false)]
    [Reaches(DiagnosisCatalog.MissingColumn)]
    public async Task AMisspeltColumnInATransformProposesTheClosestColumn(string wrong, string right, bool confident)
    {
        var spec = WithTransform(wrong);
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        var (error, step) = await FailingStep(h, Phase.Staging);
        var d = Diagnose(error, Phase.Staging, step, await KnownColumns.OfPhaseAsync(h.Context(Phase.Staging)));

        AssertWords(error.Message, $"Referenced column \"{wrong}\" not found");
        Assert.That((d.Code, d.Kind, d.Fix.Diff), Is.EqualTo((DiagnosisCatalog.MissingColumn, FixKind.NeedsApproval, (string?)$"- {wrong}\n+ {right}")));
        Assert.That(d.Cause, Does.Contain($"'{right}'"));
        // A long name one transposition off is a sure match; a short one is not sure enough to apply unasked.
        Assert.That(d.Confidence >= 0.8, Is.EqualTo(confident), $"confidence {d.Confidence}");
    }

    [Test]
    public async Task ASyntaxErrorInATransformIsReportedAtTheUsersLineAndIsNotGuessedAt()
    {
        var file = Path.Combine(Sample.Root, "sql", "web_signups.sql");
        File.WriteAllText(file, "-- my transform\nSELECT\n  *,\n  1 AS one\nFROM FROM cleaned\n");
        var h = new Harness(Sample, Sample.Spec());
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        var (error, step) = await FailingStep(h, Phase.Staging);
        var d = Diagnose(error, Phase.Staging, step);

        // DuckDB's parser position, recorded by the Local adapter before our words wrap DuckDB's, maps to the user's line.
        Assert.That((error.Diagnostic.Code, error.Diagnostic.Location.File, error.Diagnostic.Location.Line), Is.EqualTo(("CDP4001", file, 5)));
        Assert.That((d.Code, d.Kind), Is.EqualTo((DiagnosisCatalog.Unknown, FixKind.Impossible)), "only the user can fix their SQL");
        AssertWords(error.Message, "syntax error");
    }

    [Test]
    [Reaches(DiagnosisCatalog.Authentication)]
    public async Task AnHttpSourceAnswering401IsAnAuthenticationFailureOnlyTheUserCanFix()
    {
        using var api = new ScriptedApi(HttpStatusCode.Unauthorized);
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer wrong-token");
        var h = new Harness(Sample, WithHttpSource(api));

        var (error, step) = await FailingStep(h, Phase.Ingestion);
        var d = Diagnose(error, Phase.Ingestion, step);

        Assert.That(error.Message, Does.Contain("CDP3012"));
        AssertWords(error.Message, "answered 401");
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0)), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible, false)));
        Assert.That(d.Fix.Description, Does.Contain(AuthEnv), "the fix names the variable the source reads, not TD's key");
        Assert.That(d.Cause + d.Fix.Description + error.Message, Does.Not.Contain("wrong-token"));
    }

    [Test]
    [Reaches(DiagnosisCatalog.MissingSecret)]
    public async Task AnUnsetAuthVariableIsAMissingSecret()
    {
        using var api = new ScriptedApi();
        var h = new Harness(Sample, WithHttpSource(api));

        var (error, step) = await FailingStep(h, Phase.Ingestion);
        var d = Diagnose(error, Phase.Ingestion, step);

        Assert.That(error.Message, Does.Contain("CDP3013"));
        AssertWords(error.Message, $"{AuthEnv} (AuthHeaderEnv) is not set");
        Assert.That((d.Code, d.Kind, d.Title), Is.EqualTo((DiagnosisCatalog.MissingSecret, FixKind.Impossible, $"Secret '{AuthEnv}' is missing")));
        Assert.That(api.Requests, Is.Zero, "nothing is sent without the header");
    }

    [Test]
    [Reaches(DiagnosisCatalog.KilledAttempt)]
    public async Task AnAttemptKilledWhileItRunsIsAKilledAttempt()
    {
        // Someone kills the last workflow's attempt as soon as it starts: Local marks it killed, and the
        // runner finishing its tasks afterwards does not turn it into a success.
        var spec = Sample.Spec();
        var last = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion).Workflows[^1];
        var h = new Harness(Sample, spec, new KillOnStart(Sample, spec, last));

        var (error, step) = await FailingStep(h, Phase.Ingestion);
        var d = Diagnose(error, Phase.Ingestion, step);

        Assert.That((error.Diagnostic.Code, step), Is.EqualTo(("CDP4003", Step.Monitor)), error.Message);
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.KilledAttempt, FixKind.NeedsApproval, false)));
    }

    [Test]
    [Reaches(DiagnosisCatalog.TransientApi)]
    public async Task AnHttpSourceAnswering503IsTransient()
    {
        using var api = new ScriptedApi(HttpStatusCode.ServiceUnavailable);
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer token");
        var h = new Harness(Sample, WithHttpSource(api));

        var (error, step) = await FailingStep(h, Phase.Ingestion);
        var d = Diagnose(error, Phase.Ingestion, step);

        Assert.That(error.Message, Does.Contain("CDP3012"));
        AssertWords(error.Message, "answered 503");
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.TransientApi, FixKind.Automatic, true)));
    }

    [Test]
    [Reaches(DiagnosisCatalog.ValidationFailed)]
    public async Task AFailingErrorCheckIsAValidationFailure()
    {
        var h = new Harness(Sample, Sample.Spec((items, _) => items.Add(QualityGateTests.CheckItem("customer_email_present",
            "Rule=not_null", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email"))));
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        var (error, step) = await FailingStep(h, Phase.Staging);
        var d = Diagnose(error, Phase.Staging, step);

        Assert.That((error.Diagnostic.Code, step), Is.EqualTo(("CDP5010", Step.Validate)));
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.ValidationFailed, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpValidate -p:CdpPhase=Staging")));
    }

    /// <summary>
    /// The failure's message as the Local target words it: it holds <paramref name="words"/> (ours, or the
    /// engine's inside ours). Other words (<see cref="SelfHealingInOtherWordsTests"/>) hold none of them.
    /// </summary>
    protected virtual void AssertWords(string message, params string[] words)
    {
        foreach (var word in words) Assert.That(message, Does.Contain(word));
    }

    /// <summary>Runs the phase's steps from <paramref name="from"/> until one fails; the test fails if none does.</summary>
    static async Task<(CdpException Error, Step Step)> FailingStep(Harness h, Phase phase, Step from = Step.Generate)
    {
        foreach (var step in PhaseOrder.Steps.SkipWhile(s => s != from))
        {
            try { await PhaseRunner.RunAsync(h.Context(phase), step); }
            catch (CdpException e) { return (e, step); }
        }
        Assert.Fail($"{phase} did not fail");
        throw new UnreachableException();
    }

    /// <summary>
    /// The build's diagnosis of the failure, recorded for the catalogue's coverage. It must come from the
    /// failure's record (its code and cause), so the same failure with its message blanked is diagnosed alike.
    /// </summary>
    static CdpSdk.Core.Diagnosis.Diagnosis Diagnose(CdpException e, Phase phase, Step step, IReadOnlyList<string>? columns = null)
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(e.Diagnostic, phase, step, columns));
        var blind = DiagnosisCatalog.Diagnose(Failure.Of(e.Diagnostic with { Message = "" }, phase, step, columns));
        Assert.That(blind.Code, Is.EqualTo(d.Code), "the diagnosis follows the failure's record, not its message");
        CatalogueCoverage.Reached(d.Code);
        return d;
    }

    /// <summary>The sample with the column its web_signups TransformSql (sql/web_signups.sql) reads misspelt.</summary>
    PipelineSpec WithTransform(string column)
    {
        var file = Path.Combine(Sample.Root, "sql", "web_signups.sql");
        var sql = File.ReadAllText(file);
        Assert.That(sql, Does.Contain("cleaned_email IS NULL"));
        File.WriteAllText(file, sql.Replace("cleaned_email IS NULL", column + " IS NULL"));
        return Sample.Spec();
    }

    PipelineSpec WithHttpSource(ScriptedApi api) => Sample.Spec((items, _) =>
    {
        var at = new SourceLocation(Sample.ProjectFile);
        items.Add(new RawItem("CdpSource", "crm", new Dictionary<string, string>
        {
            ["Connector"] = "http", ["Mode"] = "incremental", ["IncrementalField"] = "updated_at", ["AuthHeaderEnv"] = AuthEnv,
        }, at));
        items.Add(new RawItem("CdpObject", "contacts", new Dictionary<string, string> { ["Source"] = "crm", ["Location"] = api.Url + "/contacts", ["RecordsPath"] = "items" }, at));
    });

    /// <summary>Runs phases through the real PhaseRunner with one state; the backend may log somewhere else to act at a set point.</summary>
    internal sealed class Harness(RetailSample sample, PipelineSpec spec, ICdpLog? backendLog = null)
    {
        public PipelineSpec Spec { get; } = spec;

        public StateStore State { get; } = new(Path.Combine(sample.Root, "obj", "cdp", "pipeline_state.json"));

        public StepContext Context(Phase phase, PipelineSpec? with = null)
        {
            var s = with ?? Spec;
            return new(s, phase, PhaseConfiguration.Hash(s, phase, "test"), State,
                () => new LocalBackend(s.Settings.WarehouseDir, s.Settings.ProjectDirectory, backendLog ?? sample.Log, s.Settings.Client), sample.Log, CancellationToken.None)
            {
                SdkVersion = "test",
            };
        }

        public async Task RunPhaseAsync(Phase phase)
        {
            foreach (var step in PhaseOrder.Steps) await PhaseRunner.RunAsync(Context(phase), step);
        }
    }

    /// <summary>
    /// The backend's log, which kills the attempt of <paramref name="workflow"/> the moment Local says it
    /// runs it: what a kill from another terminal does to an attempt in progress.
    /// </summary>
    sealed partial class KillOnStart(RetailSample sample, PipelineSpec spec, string workflow) : ICdpLog
    {
        public void Info(string message, bool important = false)
        {
            sample.Log.Info(message, important);
            if (Started().Match(message) is not { Success: true } m || m.Groups["workflow"].Value != workflow) return;
            using var backend = sample.Backend(spec);
            backend.KillAsync(new SessionRef(m.Groups["session"].Value, m.Groups["attempt"].Value, workflow, RetailSample.SessionTime), CancellationToken.None).GetAwaiter().GetResult();
        }

        public void Report(Diagnostic diagnostic) => sample.Log.Report(diagnostic);

        [GeneratedRegex(@"^Running [^/]+/(?<workflow>\w+) session (?<session>\d+), attempt (?<attempt>\d+)$")]
        private static partial Regex Started();
    }

    /// <summary>
    /// A JSON API on 127.0.0.1 that answers the scripted statuses first, then 200 with three contacts, so a
    /// failure can be made to last exactly as many requests as a test needs.
    /// </summary>
    internal sealed class ScriptedApi : LoopbackHttpServer
    {
        readonly Queue<HttpStatusCode> _script;
        int _requests;

        public int Requests => Volatile.Read(ref _requests);

        /// <summary>When set, a request without exactly this Authorization header is answered 401.</summary>
        public string? RequiredAuth { get; init; }

        /// <summary>With no statuses every request succeeds; a status repeated forever is given with <paramref name="always"/>.</summary>
        public ScriptedApi(params HttpStatusCode[] script) : this(script, always: script.Length == 1) { }

        public ScriptedApi(IEnumerable<HttpStatusCode> script, bool always)
        {
            _script = new Queue<HttpStatusCode>(script);
            Always = always ? _script.Peek() : null;
        }

        HttpStatusCode? Always { get; }

        protected override async Task AnswerAsync(HttpListenerContext context)
        {
            Interlocked.Increment(ref _requests);
            HttpStatusCode status;
            lock (_script) status = Always ?? (_script.TryDequeue(out var next) ? next : HttpStatusCode.OK);
            if (status == HttpStatusCode.OK && RequiredAuth is not null && context.Request.Headers["Authorization"] != RequiredAuth) status = HttpStatusCode.Unauthorized;
            context.Response.StatusCode = (int)status;
            if (status == HttpStatusCode.OK)
            {
                var body = Encoding.UTF8.GetBytes("""
                    {"items": [
                      {"id": 1, "email": "ada@example.org", "updated_at": "2024-01-01 00:00:00"},
                      {"id": 2, "email": "bob@example.org", "updated_at": "2024-01-02 00:00:00"},
                      {"id": 3, "email": "cy@example.org", "updated_at": "2024-01-03 00:00:00"}
                    ]}
                    """);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
            }
            context.Response.Close();
        }
    }
}
