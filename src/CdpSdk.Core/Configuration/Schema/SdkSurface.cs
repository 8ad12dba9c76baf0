namespace CdpSdk.Core.Configuration.Schema;

/// <summary>A public target of the SDK, as users call it with <c>dotnet build -t:…</c>.</summary>
public sealed record TargetInfo(string Name, string Description);

/// <summary>An extensibility property: set by users to change what the SDK's targets run or import.</summary>
public sealed record HookInfo(string Name, string Default, string Description);

/// <summary>
/// The SDK's targets and extension points. They are not pipeline settings (the readers never see
/// them, see <see cref="SettingsCatalog"/>), but they are public, so the README, the XSD and the
/// MSBuild Editor schema describe them from this one list.
/// </summary>
public static class SdkSurface
{
    public static readonly IReadOnlyList<TargetInfo> Targets =
    [
        new("CdpPipeline", "Runs every phase (Ingestion, HistUnion, Staging, Unification) in order, each through Generate, Deploy, Execute, Monitor and Validate; a failing step is retried or diagnosed and, per CdpMode and CdpApprove, fixed or stopped with the proposed fix; an unfixed failure stops the pipeline. Steps whose inputs did not change are skipped. Ends with the report (CdpReport) and a short summary, also after a failed phase."),
        new("CdpGenerate", "Writes each phase's workflow project under CdpGeneratedDir. Needs no network and gives byte-identical output for the same project."),
        new("CdpDeploy", "Generates, then deploys each phase's workflow project to the target (a revision named from its content)."),
        new("CdpExecute", "Deploys, then starts each phase's workflows (an interrupted build reattaches to the running session instead of starting another)."),
        new("CdpMonitor", "Executes, then waits for each phase's session to finish (CdpMonitorPollInterval, CdpMonitorTimeout)."),
        new("CdpValidate", "Monitors, then checks each phase's output tables (existence, rows, ingestion log, cleaned columns, id and id coverage) and runs its CdpCheck data-quality rules; an error stops the pipeline before the next phase. Results: obj/cdp/run_results.json and run_log.jsonl."),
        new("CdpPlan", "Prints the build's plan and changes nothing: per phase the steps that would run and why (which setting, data or SQL file, upstream phase, failure or hand edit), the tables it would write, the estimated duration and a short diff of the generated files that would change. -p:CdpPlanFormat=json -p:CdpPlanFile=<path> writes it as JSON; -p:CdpPlanGoal=Generate plans what 'dotnet build' would do."),
        new("CdpTest", "Runs every CdpTest unit test (or one phase's with -p:CdpPhase=…) in scratch databases on the Local engine: the transform on the given rows, compared with the expected rows; a failure shows the row diff. Needs no warehouse and no network, on either target. Results: obj/cdp/run_results.json and the report. Each phase also runs its own tests before Deploy (CdpRunTests)."),
        new("CdpReport", "Writes the final report, report.md and a self-contained report.html, into CdpReportDir: phases, data quality, unification figures, lineage, data dictionary, next steps. Describes the last pipeline build: what each phase did in it, its durations, checks from earlier runs marked. Partial when a phase failed."),
        new("CdpRestore", "Lists the backups that fixes and regenerations made under obj/cdp/backups/ (id, reason, files); with -p:CdpBackup=<id>, puts that backup's files back, saving the current ones first."),
        new("Build", "What `dotnet build` runs without -t: CdpGenerate."),
        new("Clean", "Deletes what the build wrote under obj/cdp/ (stamps, state, resolved configuration) the generated workflow projects and the report files. Never the Local warehouse (CdpWarehouseDir): that is your data."),
        new("Rebuild", "Clean, then Build."),
    ];

    public static readonly IReadOnlyList<HookInfo> Hooks =
    [
        new("CdpGenerateDependsOn", "", "Your targets to run first: once per build, before the configuration is resolved, so a target that downloads or refreshes data files is seen by every phase alike, e.g. `<CdpGenerateDependsOn>DownloadData</CdpGenerateDependsOn>`. (The phase builds the pipeline dispatches do not run them again.)"),
        new("CdpDeployDependsOn", "_CdpCheckUpstream;CdpGenerate", "Targets CdpDeploy depends on; your value is appended to the SDK's (the phase's unit tests, _CdpPhaseTests, run after it when CdpRunTests is true)."),
        new("CdpExecuteDependsOn", "CdpDeploy", "Targets CdpExecute depends on; your value is appended to the SDK's."),
        new("CdpMonitorDependsOn", "CdpExecute", "Targets CdpMonitor depends on; your value is appended to the SDK's."),
        new("CdpValidateDependsOn", "CdpMonitor", "Targets CdpValidate depends on; your value is appended to the SDK's."),
        new("CdpPipelineDependsOn", "CdpValidate", "Targets CdpPipeline depends on; your value is appended to the SDK's."),
        new("CustomBeforeCdpProps", "", "Path of an MSBuild file imported before the SDK's props (and Directory.Build.props), when it exists."),
        new("CustomAfterCdpProps", "", "Path of an MSBuild file imported after the SDK's props, when it exists."),
        new("CustomBeforeCdpTargets", "", "Path of an MSBuild file imported before the SDK's targets, when it exists."),
        new("CustomAfterCdpTargets", "", "Path of an MSBuild file imported after the SDK's targets, when it exists: the place to override a target or add AfterTargets hooks."),
    ];
}
