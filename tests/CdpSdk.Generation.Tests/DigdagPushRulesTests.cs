using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Generation.Tests;

/// <summary>Each push-time rule of Digdag/TD Workflow caught, with its code, file and line.</summary>
public sealed class DigdagPushRulesTests
{
    const string Root = "/project";

    static IReadOnlyList<Diagnostic> Check(params (string Path, string Text)[] files) =>
        DigdagPushRules.Check(files.ToDictionary(f => f.Path, f => f.Text), Root, treasureData: true);

    static void AssertOne(IReadOnlyList<Diagnostic> found, string code, string file, int line, string part)
    {
        Assert.That(found.Select(d => d.Code), Has.Member(code), () => string.Join("\n", found));
        var d = found.First(x => x.Code == code);
        Assert.Multiple(() =>
        {
            Assert.That(d.Location.File, Is.EqualTo(Path.Combine(Root, file.Replace('/', Path.DirectorySeparatorChar))));
            Assert.That(d.Location.Line, Is.EqualTo(line));
            Assert.That(d.Message, Does.Contain(part));
        });
    }

    [Test]
    public void YamlErrorIsCdp1020AtItsLine() =>
        AssertOne(Check(("w.dig", "+a:\n  echo>: 1\n+b: echo>: 2\n")), "CDP1020", "w.dig", 3, "not valid YAML");

    [Test]
    public void DuplicateTaskIsCdp1021AtTheSecondOne() =>
        AssertOne(Check(("w.dig", "+a:\n  echo>: 1\n+a:\n  echo>: 2\n")), "CDP1021", "w.dig", 3, "'+a' twice");

    [Test]
    public void DuplicateKeyInAnIncludedConfigIsFound() =>
        AssertOne(Check(("w.dig", "_export:\n  !include : config/c.yml\n+a:\n  echo>: 1\n"), ("config/c.yml", "x: 1\ny: 2\nx: 3\n")), "CDP1021", "config/c.yml", 3, "'x' twice");

    [Test]
    public void UnknownTopLevelKeyIsCdp1022() =>
        AssertOne(Check(("w.dig", "timezone: UTC\ndatabase: x\n+a:\n  echo>: 1\n")), "CDP1022", "w.dig", 2, "'database'");

    [Test]
    public void IncludedUnknownTopLevelKeyPointsAtTheIncludedFile() =>
        AssertOne(Check(("w.dig", "!include : extra.dig\n+a:\n  echo>: 1\n"), ("extra.dig", "database: x\n")), "CDP1022", "extra.dig", 1, "'database'");

    [Test]
    public void BadTaskNameIsCdp1023() =>
        AssertOne(Check(("w.dig", "+group:\n  +load orders:\n    echo>: 1\n")), "CDP1023", "w.dig", 2, "'+load orders'");

    [Test]
    public void TwoOperatorsAreCdp1024() =>
        AssertOne(Check(("w.dig", "+a:\n  echo>: 1\n  td>: q.sql\n")), "CDP1024", "w.dig", 3, "two operators");

    [Test]
    public void OperatorWithSubtasksIsCdp1024() =>
        AssertOne(Check(("w.dig", "+a:\n  echo>: 1\n  +b:\n    echo>: 2\n")), "CDP1024", "w.dig", 3, "both the operator");

    [Test]
    public void MissingIncludeIsCdp1025() =>
        AssertOne(Check(("w.dig", "_export:\n  !include : config/missing.yml\n+a:\n  echo>: 1\n")), "CDP1025", "w.dig", 2, "does not have");

    [Test]
    public void IncludeEscapingTheProjectIsCdp1025() =>
        AssertOne(Check(("w.dig", "_export:\n  !include : ../secrets.yml\n+a:\n  echo>: 1\n")), "CDP1025", "w.dig", 2, "leaves the project");

    [Test]
    public void CallOfAMissingWorkflowIsCdp1025() =>
        AssertOne(Check(("w.dig", "+a:\n  call>: other.dig\n")), "CDP1025", "w.dig", 2, "'other.dig'");

    [Test]
    public void OversizedProjectIsCdp1026()
    {
        var found = Check(("w.dig", "+a:\n  echo>: 1\n"), ("data.yml", "x: '" + new string('a', (int)DigdagPushRules.MaxProjectBytes) + "'\n"));
        Assert.That(found.Single().Code, Is.EqualTo("CDP1026"));
        Assert.That(found.Single().Location.File, Is.EqualTo(Root));
    }

    [Test]
    public void MoreThanAThousandTasksIncludingCalledWorkflowsIsCdp1027()
    {
        var tasks = string.Concat(Enumerable.Range(0, 600).Select(i => $"+t{i}:\n  echo>: {i}\n"));
        var found = Check(("w.dig", "+first:\n  call>: sub.dig\n+second:\n  call>: sub.dig\n"), ("sub.dig", tasks));
        AssertOne(found, "CDP1027", "w.dig", 1, "1203 tasks");
        Assert.That(found.Where(d => d.Code == "CDP1027").Select(d => d.Location.File), Has.None.Contains("sub.dig"), "sub.dig alone has 601");
    }

    [Test]
    public void TaskNameOver640BytesIsCdp1028()
    {
        var name = new string('n', 200);
        var found = Check(("w.dig", $"+{name}:\n  +{name}:\n    +{name}:\n      +{name}:\n        echo>: 1\n"));
        AssertOne(found, "CDP1028", "w.dig", 4, "bytes");
    }

    [Test]
    public void WorkflowNameStartingWithADigitIsCdp1029() =>
        AssertOne(Check(("1st_load.dig", "+a:\n  echo>: 1\n")), "CDP1029", "1st_load.dig", 1, "'1st_load'");

    [Test]
    public void AfterOutsideAParallelGroupIsCdp1030()
    {
        AssertOne(Check(("w.dig", "+g:\n  +a:\n    echo>: 1\n  +b:\n    _after: +a\n    echo>: 2\n")), "CDP1030", "w.dig", 5, "_parallel");
        Assert.That(Check(("w.dig", "+g:\n  _parallel: true\n  +a:\n    echo>: 1\n  +b:\n    _after: +a\n    echo>: 2\n")), Is.Empty);
    }

    [Test]
    public void InvalidScheduleIsCdp1031()
    {
        // daily> wants three ':'-separated integers (DailySchedulerFactory.parseAt in digdag-standards); 25:00:00 it takes, as a delay.
        AssertOne(Check(("w.dig", "schedule:\n  daily>: 25:00\n+a:\n  echo>: 1\n")), "CDP1031", "w.dig", 1, "schedule");
        AssertOne(Check(("w.dig", "schedule:\n  cron>: 99 99 99 99 99\n+a:\n  echo>: 1\n")), "CDP1031", "w.dig", 1, "schedule");
        AssertOne(Check(("w.dig", "schedule:\n  daily>: 07:00:00\n  cron>: 0 7 * * *\n+a:\n  echo>: 1\n")), "CDP1031", "w.dig", 1, "one operator");
    }

    [Test]
    public void ShellOperatorOnTreasureDataIsCdp1032()
    {
        AssertOne(Check(("w.dig", "+a:\n  sh>: rm -rf /\n")), "CDP1032", "w.dig", 2, "sh>");
        Assert.That(DigdagPushRules.Check(new Dictionary<string, string> { ["w.dig"] = "+a:\n  sh>: ls\n" }, Root, treasureData: false), Is.Empty);
    }

    [Test]
    public void ErrorAndDoBlocksAreWalked() =>
        AssertOne(Check(("w.dig", "_error:\n  +bad name:\n    echo>: x\n+a:\n  loop>: 2\n  _do:\n    +b:\n      echo>: 1\n      td>: q.sql\n")), "CDP1023", "w.dig", 2, "'+bad name'");

    [Test]
    public void AValidProjectWithIncludesAndCallsPasses() =>
        Assert.That(Check(
            ("main.dig", "timezone: UTC\nschedule:\n  daily>: 07:00:00\n_export:\n  !include : config/env.yml\n  !include : config/more.yml\n+prep:\n  call>: sub.dig\n+go:\n  _parallel: true\n  +a:\n    td>: q.sql\n  +b:\n    _after: +a\n    echo>: done\n"),
            ("sub.dig", "+x:\n  echo>: ${env}\n"), ("config/env.yml", "env: test\n"), ("config/more.yml", "more: 1\n")), Is.Empty);
}
