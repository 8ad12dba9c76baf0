using CdpSdk.Core.Model;
using CdpSdk.Core.Planning;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Tests.Planning;

/// <summary>The planner on hand-made facts: one test per reason a step runs, is blocked or is skipped.</summary>
public sealed class PlannerTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A pipeline that ran every phase through every step, in order, with what it has now.</summary>
    sealed class World
    {
        public PipelineState State = PhaseOrder.All.Aggregate(new PipelineState(), (s, phase) => s.With(phase, p => p with
        {
            Status = PhaseStatus.Succeeded,
            ConfigHash = "hash-" + phase,
            Steps = PhaseOrder.Steps.ToDictionary(step => step.ToString(), step => new StepRecord("Succeeded", T0.AddMinutes((int)phase * 5 + (int)step), 1000 + (int)step)),
        }));

        public Dictionary<Phase, PhaseFacts> Facts = PhaseOrder.All.ToDictionary(p => p, p =>
        {
            var inputs = Inputs(p);
            return new PhaseFacts(p, inputs, inputs, inputs.ConfigHash, PhaseOrder.Steps.ToHashSet(), new HashSet<string>(), [], [], false)
            {
                Tables = [$"db.{p.ToString().ToLowerInvariant()}_table"],
            };
        });

        public IReadOnlyList<Phase> InBuild = PhaseOrder.All;
        public Step Goal = Step.Validate;
        public bool WarehouseGone;
        public HashSet<Phase> SkipFailed = [];
        public string Hooks = "";

        public void Change(Phase phase, Func<PhaseFacts, PhaseFacts> change) => Facts[phase] = change(Facts[phase]);

        public void Record(Phase phase, Func<PhaseState, PhaseState> change) => State = State.With(phase, change);

        public BuildPlan Plan() => Planner.Plan(new PlanFacts(State, Facts, InBuild, Goal, WarehouseGone, SkipFailed, Hooks, T0.AddHours(1).ToString("o")));
    }

    static PhaseInputs Inputs(Phase phase, string client = "retail", string sqlHash = "aaa") => new(
        $"hash-{phase}-{client}-{sqlHash}",
        new Dictionary<string, string> { ["CdpClient"] = client, ["SDK version"] = "1.0.0" },
        phase == Phase.Staging ? new Dictionary<string, string> { ["sql/web_signups.sql"] = sqlHash } : new Dictionary<string, string>());

    /// <summary>The phase's config hash in the state follows its inputs, as Generate records it.</summary>
    static void Generated(World w, Phase phase) => w.Record(phase, p => p with { ConfigHash = w.Facts[phase].Current.ConfigHash });

    static string[] Running(BuildPlan plan) =>
        plan.Phases.SelectMany(p => p.Running.Select(s => $"{p.Phase}.{s.Step}")).ToArray();

    static string[] All(Phase phase, params Step[] steps) => steps.Select(s => $"{phase}.{s}").ToArray();

    static readonly Step[] EverySteps = [Step.Generate, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate];

    static World UpToDateWorld()
    {
        var w = new World();
        foreach (var phase in PhaseOrder.All) Generated(w, phase);
        return w;
    }

    [Test]
    public void NothingChangedMeansEveryStepIsUpToDate()
    {
        var plan = UpToDateWorld().Plan();
        Assert.That(plan.NothingToDo, Is.True);
        Assert.That(plan.Phases.SelectMany(p => p.Steps).Select(s => s.Decision), Is.All.EqualTo(StepDecision.UpToDate));
        Assert.That(plan.Phases.SelectMany(p => p.Steps).ToList(), Has.Count.EqualTo(20));
    }

    [Test]
    public void AChangedSettingIsNamedWithItsOldAndNewValueAndRunsThePhaseAndEveryLaterOne()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, client: "shop") });
        var plan = w.Plan();

        Assert.That(Running(plan), Is.EqualTo(All(Phase.Staging, EverySteps).Concat(All(Phase.Unification, EverySteps))));
        var reason = plan.Step(Phase.Staging, Step.Execute)!.Reasons.Single();
        Assert.That((reason.Kind, reason.Name, reason.Old, reason.New), Is.EqualTo((ReasonKinds.SettingChanged, "CdpClient", "retail", "shop")));
        Assert.That(PlanText.RunsLine(Phase.Staging, plan.Step(Phase.Staging, Step.Execute)!), Is.EqualTo("Staging Execute runs: CdpClient changed (retail → shop)"));
        Assert.That(plan.Step(Phase.Unification, Step.Generate)!.Reasons.Select(r => (r.Kind, r.Phase)), Is.EqualTo(new[] { (ReasonKinds.UpstreamRuns, "Staging") }));
    }

    [Test]
    public void AChangedSqlFileIsNamed()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, sqlHash: "bbb") });
        var step = w.Plan().Step(Phase.Staging, Step.Generate)!;
        Assert.That(step.Decision, Is.EqualTo(StepDecision.WillRun));
        Assert.That(step.Because(), Is.EqualTo("sql/web_signups.sql changed"));
        Assert.That(step.Reasons[0].File, Is.EqualTo("sql/web_signups.sql"));
    }

    [Test]
    public void AFileWrittenInThisBuildByAHookIsNewDataFromTheHook()
    {
        var w = UpToDateWorld();
        w.Hooks = "DownloadData";
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, sqlHash: "bbb"), WrittenThisBuild = new HashSet<string> { "sql/web_signups.sql" } });
        var reason = w.Plan().Step(Phase.Staging, Step.Generate)!.Reasons.Single();
        Assert.That(reason.Kind, Is.EqualTo(ReasonKinds.HookData));
        Assert.That(reason.Text, Does.Contain("DownloadData"));
    }

    [Test]
    public void AFileRewrittenWithTheSameBytesChangesNothing()
    {
        var w = UpToDateWorld();
        w.Hooks = "DownloadData";
        w.Change(Phase.Staging, f => f with { WrittenThisBuild = new HashSet<string> { "sql/web_signups.sql" } });
        Assert.That(w.Plan().NothingToDo, Is.True);
    }

    [Test]
    public void ALastRunThatFailedAtExecuteResumesThereAndRunsTheLaterPhases()
    {
        var w = UpToDateWorld();
        w.Record(Phase.HistUnion, p => p with
        {
            Status = PhaseStatus.Failed, CurrentStep = "Execute",
            Steps = new Dictionary<string, StepRecord>(p.Steps) { ["Execute"] = new("Failed", T0.AddMinutes(30), 10, "no such table") },
        });
        w.Change(Phase.HistUnion, f => f with { Stamps = new HashSet<Step> { Step.Generate, Step.Deploy } });
        var plan = w.Plan();
        Assert.That(Running(plan), Is.EqualTo(All(Phase.HistUnion, Step.Execute, Step.Monitor, Step.Validate)
            .Concat(All(Phase.Staging, EverySteps)).Concat(All(Phase.Unification, EverySteps))));
        Assert.That(plan.Step(Phase.HistUnion, Step.Execute)!.Because(), Is.EqualTo("the last run failed at Execute (no such table)"));
    }

    [Test]
    public void AGeneratedFileEditedByHandSinceDeployRunsDeployOn()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Unification, f => f with { EditedSinceDeploy = ["unif_runner.dig"] });
        var plan = w.Plan();
        Assert.That(Running(plan), Is.EqualTo(All(Phase.Unification, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate)));
        Assert.That(plan.Step(Phase.Unification, Step.Deploy)!.Reasons.Single().File, Is.EqualTo("unification/unif_runner.dig"));
    }

    [Test]
    public void ADeletedGeneratedFileTheConfigurationStillGeneratesIsRestoredWithoutRunningAStep()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Ingestion, f => f with { DeletedGenerated = ["ingest.dig"], RegeneratesSame = true });
        var plan = w.Plan();
        Assert.That(Running(plan), Is.Empty);
        Assert.That(plan.Phase(Phase.Ingestion)!.RestoredFiles, Is.EqualTo(new[] { "ingest.dig" }));
        Assert.That(plan.NothingToDo, Is.False, "restoring files is something to do");
    }

    [Test]
    public void ADeletedGeneratedFileTheConfigurationNoLongerGeneratesRunsGenerate()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Unification, f => f with { DeletedGenerated = ["unif_runner.dig"], RegeneratesSame = false });
        var plan = w.Plan();
        Assert.That(Running(plan), Is.EqualTo(All(Phase.Unification, EverySteps)));
        Assert.That(plan.Step(Phase.Unification, Step.Generate)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.GeneratedDeleted));
        Assert.That(plan.Phase(Phase.Unification)!.RestoredFiles, Is.Empty);
    }

    [Test]
    public void AGoneWarehouseRerunsEveryStepButIngestionsGenerate()
    {
        var w = UpToDateWorld();
        w.WarehouseGone = true;
        var plan = w.Plan();
        Assert.That(Running(plan), Is.EqualTo(PhaseOrder.All.SelectMany(p => All(p, EverySteps)).Skip(1)));
        Assert.That(plan.Step(Phase.Ingestion, Step.Deploy)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.WarehouseGone));
        Assert.That(plan.Step(Phase.HistUnion, Step.Generate)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.UpstreamRuns));
    }

    [Test]
    public void APhaseBuiltAloneIsBlockedFromDeployOnWhileItsUpstreamIsIncomplete()
    {
        var w = UpToDateWorld();
        w.InBuild = [Phase.Staging];
        w.Record(Phase.HistUnion, p => p with { Status = PhaseStatus.Failed, CurrentStep = "Monitor" });
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, sqlHash: "bbb") });
        var plan = w.Plan();
        Assert.That(plan.Phases.Select(p => p.Phase), Is.EqualTo(new[] { Phase.Staging }));
        Assert.That(plan.Phase(Phase.Staging)!.Steps.Select(s => s.Decision),
            Is.EqualTo(new[] { StepDecision.WillRun, StepDecision.Blocked, StepDecision.Blocked, StepDecision.Blocked, StepDecision.Blocked }));
        Assert.That(plan.Step(Phase.Staging, Step.Deploy)!.Because(), Is.EqualTo("upstream phase HistUnion is not complete (it failed at Monitor)"));
    }

    [Test]
    public void AnUpstreamWhoseConfigurationChangedSinceItValidatedBlocksAPhaseBuiltAlone()
    {
        var w = UpToDateWorld();
        w.InBuild = [Phase.Unification];
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, client: "shop") });
        Assert.That(w.Plan().Step(Phase.Unification, Step.Deploy)!.Reasons.Single().Text, Does.Contain("configuration of upstream phase Staging changed"));
    }

    [Test]
    public void AFailedPhaseNamedByCdpSkipFailedPhaseIsSkippedFromTheFailedStep()
    {
        var w = UpToDateWorld();
        w.SkipFailed = [Phase.Staging];
        w.Record(Phase.Staging, p => p with
        {
            Status = PhaseStatus.Failed, CurrentStep = "Execute",
            Steps = new Dictionary<string, StepRecord>(p.Steps) { ["Execute"] = new("Failed", T0.AddMinutes(30), 10, "boom") },
        });
        w.Change(Phase.Staging, f => f with { Stamps = new HashSet<Step> { Step.Generate, Step.Deploy } });
        var plan = w.Plan();
        Assert.That(plan.Phase(Phase.Staging)!.Steps.Select(s => s.Decision),
            Is.EqualTo(new[] { StepDecision.UpToDate, StepDecision.UpToDate, StepDecision.Skipped, StepDecision.Skipped, StepDecision.Skipped }));
        Assert.That(plan.Phase(Phase.Unification)!.Steps.Select(s => s.Decision), Is.All.EqualTo(StepDecision.UpToDate), "runs on the skipped phase's output, which did not change");
    }

    [Test]
    public void AGenerateOnlyBuildPlansOnlyGenerateAndTheNextPipelineRunsWhatFollows()
    {
        var w = UpToDateWorld();
        w.Goal = Step.Generate;
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, sqlHash: "bbb") });
        var plan = w.Plan();
        Assert.That(Running(plan), Is.EqualTo(new[] { "Staging.Generate" }), "the upstream does not validate in a Generate build");

        // Generate ran (a later time in the state, its inputs recorded); the pipeline then deploys and runs it.
        w.Goal = Step.Validate;
        w.Change(Phase.Staging, f => f with { Previous = f.Current });
        w.Record(Phase.Staging, p => p with
        {
            ConfigHash = w.Facts[Phase.Staging].Current.ConfigHash,
            Steps = new Dictionary<string, StepRecord>(p.Steps) { ["Generate"] = new("Succeeded", T0.AddHours(2), 5) },
        });
        var next = w.Plan();
        Assert.That(Running(next), Is.EqualTo(All(Phase.Staging, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate).Concat(All(Phase.Unification, EverySteps))));
        Assert.That(next.Step(Phase.Staging, Step.Deploy)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.PreviousStepRan));
        Assert.That(next.Step(Phase.Unification, Step.Generate)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.UpstreamRuns));
    }

    [Test]
    public void AFirstBuildRunsEverythingBecauseNothingRanAndEstimatesNothing()
    {
        var w = new World { State = new PipelineState() };
        foreach (var phase in PhaseOrder.All) w.Change(phase, f => f with { Previous = null, RecordedConfigHash = null, Stamps = new HashSet<Step>() });
        var plan = w.Plan();
        Assert.That(Running(plan), Has.Length.EqualTo(20));
        Assert.That(plan.Step(Phase.Ingestion, Step.Generate)!.Because(), Is.EqualTo("never ran"));
        Assert.That(plan.Phases.Select(p => p.EstimatedMs), Is.All.Null);
    }

    [Test]
    public void TheEstimateIsTheLastDurationsOfTheStepsThatRun()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Unification, f => f with { EditedSinceDeploy = ["unif_runner.dig"] });
        Assert.That(w.Plan().Phase(Phase.Unification)!.EstimatedMs, Is.EqualTo(1001 + 1002 + 1003 + 1004));
    }

    [Test]
    public void APhaseGeneratedByAnEarlierSdkFallsBackOnItsConfigHash()
    {
        var w = UpToDateWorld();
        w.Change(Phase.HistUnion, f => f with { Previous = null });
        Assert.That(w.Plan().NothingToDo, Is.True, "same hash: nothing to do");
        w.Change(Phase.HistUnion, f => f with { RecordedConfigHash = "older" });
        Assert.That(w.Plan().Step(Phase.HistUnion, Step.Generate)!.Reasons.Single().Kind, Is.EqualTo(ReasonKinds.ConfigurationChanged));
    }

    [Test]
    public void ASecretSettingIsNamedWithoutItsValues()
    {
        var w = UpToDateWorld();
        PhaseInputs Secret(string value) => Inputs(Phase.Ingestion) with
        {
            ConfigHash = "h" + value,
            Settings = new Dictionary<string, string> { ["CdpSource(shop).ApiToken"] = PhaseInputs.SecretPrefix + value },
        };
        w.Change(Phase.Ingestion, f => f with { Previous = Secret("1"), Current = Secret("2") });
        var reason = w.Plan().Step(Phase.Ingestion, Step.Generate)!.Reasons.Single();
        Assert.That((reason.Text, reason.Old, reason.New), Is.EqualTo(("CdpSource(shop).ApiToken changed", (string?)null, (string?)null)));
    }

    [Test]
    public void ThePlanRoundTripsThroughItsJson()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, client: "shop") });
        var plan = w.Plan();
        var json = PlanFile.Serialize(plan);
        Assert.That(json, Does.Contain("\"decision\": \"will_run\"").And.Contain("\"kind\": \"setting_changed\"").And.Contain("\"schema_version\""));
        var back = PlanFile.Deserialize(json);
        Assert.That(back.Phases.SelectMany(p => p.Steps), Is.EqualTo(plan.Phases.SelectMany(p => p.Steps)).Using<StepPlan>((a, b) =>
            a.Step == b.Step && a.Decision == b.Decision && a.Reasons.SequenceEqual(b.Reasons) && a.LastDurationMs == b.LastDurationMs));
        Assert.That(back.BuildStartedAt, Is.EqualTo(plan.BuildStartedAt));
    }

    [Test]
    public void TheTextSaysWhatRunsAndWhyOnePhaseALine()
    {
        var w = UpToDateWorld();
        w.Change(Phase.Staging, f => f with { Current = Inputs(Phase.Staging, sqlHash: "bbb") });
        var text = PlanText.Render(w.Plan(), "retail");
        Assert.That(text, Does.Contain("  Ingestion: up to date\n"));
        Assert.That(text, Does.Contain("  Staging: 5 steps run, about 5.0 s (last run)\n    Generate…Validate run: sql/web_signups.sql changed\n    writes tables: db.staging_table\n"));
        Assert.That(text, Does.Contain("    Generate…Validate run: upstream phase Staging runs in this build\n"));
    }
}
