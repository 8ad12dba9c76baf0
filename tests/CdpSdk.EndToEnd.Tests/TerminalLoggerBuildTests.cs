using System.Text.RegularExpressions;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The retail sample built in a pseudo-terminal with the terminal logger, as a user's shell runs it: at
/// default verbosity the terminal logger hides high-importance messages, so what a user must see (each
/// phase's outcome, the report) has to reach it as the projects' output lines, and the summary as
/// the output lines of a test run (TLTESTOUTPUT), which it prints at once.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class TerminalLoggerBuildTests
{
    static readonly string[] Phases = ["Ingestion", "HistUnion", "Staging", "Unification"];
    string _workspace = "";

    [OneTimeSetUp]
    public void CopySample()
    {
        if (!PseudoTerminal.Available) Assert.Ignore("util-linux 'script' is needed for a pseudo-terminal");
        _workspace = PackedSdk.CopySample("retail");
    }

    CommandResult Build(params string[] extra) =>
        PseudoTerminal.Dotnet(_workspace, ["build", "retail.cdpproj", "-t:CdpPipeline", "-tl:on", "-nodeReuse:false", .. extra]);

    [Test, Order(1)]
    public void TerminalLoggerShowsEachPhaseAndTheReportAtDefaultVerbosity()
    {
        var result = Build();
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var phase in Phases)
            Assert.That(result.Output, Does.Match($@"retail (test )?succeeded \([\d.]+s\) → {phase}: \d+ tables, [\d,]+ rows( \+ \d log tables? \([\d,]+ rows\))?\n"), phase + "\n" + result.Output);
        // While a phase executes, its live line names the workflow and task in progress (LiveProgressBuildTests has a long one).
        Assert.That(result.Output, Does.Match(@"retail (Ingestion|HistUnion|Staging|Unification) Execute \w+ › \+\S+, \d+s \([\d.]+s\)"), result.Output);
        // "test": the terminal logger's word for a project that ran _TestRunStart, the price of a visible summary.
        Assert.That(result.Output, Does.Match(@"retail (test )?succeeded \([\d.]+s\) → bin/cdp/report\.html"), result.Output);
        // The summary, at the end, at default verbosity: what each phase did in this build.
        foreach (var phase in Phases)
            Assert.That(result.Output, Does.Match($@"\n\s*{phase} +succeeded +[\d.]+s"), phase + "\n" + result.Output);
        Assert.That(result.Output, Does.Match(@"checks: \d+ passed, \d+ warned, 0 failed"), result.Output);
        Assert.That(result.Output.IndexOf("CDP pipeline ", StringComparison.Ordinal), Is.GreaterThan(result.Output.LastIndexOf("→ Unification", StringComparison.Ordinal)), "the summary comes after the phases");
        Assert.That(result.Output, Does.Contain("Build succeeded"), result.Output);
    }

    [Test, Order(2)]
    public void SecondBuildSaysEveryPhaseIsUpToDate()
    {
        var result = Build();
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var phase in Phases)
            Assert.That(result.Output, Does.Match($@"→ {phase}: \d+ tables, [\d,]+ rows( \+ \d log tables? \([\d,]+ rows\))? \(up to date\)"), phase + "\n" + result.Output);
        Assert.That(result.Output, Does.Contain("nothing to do: every step up to date"), result.Output);
    }

    [Test, Order(3)]
    public void ClassicConsoleLoggerPrintsTheSummaryOnceAndTheReportAsOutput()
    {
        var result = DotNet.Run(_workspace, null, "build", "retail.cdpproj", "-t:CdpPipeline", "-tl:off", "-nodeReuse:false", "-nologo");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("nothing to do: every step up to date"), result.Output);
        Assert.That(Regex.Matches(result.Output, "CDP pipeline ").Count, Is.EqualTo(1), result.Output);
        Assert.That(result.Output, Does.Match(@"retail -> .*/bin/cdp/report\.html"), result.Output);
    }
}
