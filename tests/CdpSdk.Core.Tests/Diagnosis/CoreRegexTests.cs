using System.Text.RegularExpressions;

namespace CdpSdk.Core.Tests.Diagnosis;

/// <summary>
/// Core reads no failure by its wording: the regular expressions it keeps read the user's input (names,
/// SQL, YAML, cron, the .cdpproj a fix edits), never a message we, an engine or a service wrote: those
/// are read by the targets' adapters (LocalTaskErrors, TdTaskErrors) into records.
/// A regular expression in any other Core file fails here until docs/design.md ("Failures are records")
/// and this list say what it reads.
/// </summary>
public sealed class CoreRegexTests
{
    /// <summary>The Core files that may use regular expressions, and what they read.</summary>
    static readonly IReadOnlyDictionary<string, string> Allowed = new Dictionary<string, string>
    {
        ["Configuration/ApiKey.cs"] = "the shape of an API key",
        ["Configuration/CheckReader.cs"] = "a check's MaxAge",
        ["Configuration/CheckSqlFile.cs"] = "the user's check SQL (comments, strings, tokens)",
        ["Configuration/DigdagCron.cs"] = "a cron expression",
        ["Configuration/IngestionReader.cs"] = "the name of an AuthHeaderEnv variable",
        ["Configuration/NameRules.cs"] = "client, database, table and column names",
        ["Configuration/ScheduleRules.cs"] = "schedule properties",
        ["Configuration/UnificationReader.cs"] = "that a ValidRegexp compiles",
        ["Configuration/UnifyYmlFields.cs"] = "unify.yml field names with placeholders",
        ["Configuration/UnifyYmlRules.cs"] = "that a unify.yml valid_regexp compiles",
        ["Configuration/UserTransform.cs"] = "the user's TransformSql",
        ["Configuration/Yaml11Scalar.cs"] = "YAML 1.1 plain scalars",
        ["Generation/Checks/DigdagPushRules.cs"] = "generated task names",
        ["Healing/ColumnRename.cs"] = "the user's SQL and .cdpproj attributes a column fix edits",
        ["Planning/PhaseInputs.cs"] = "secret-looking property names",
        ["Sql/ISqlDialect.cs"] = "identifier shape",
    };

    [Test]
    public void RegularExpressionsInCoreReadOnlyWhatTheyAreListedFor()
    {
        var core = RepoPaths.Of("src/CdpSdk.Core");
        var users = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bRegex\b|GeneratedRegex"))
            .Select(f => Path.GetRelativePath(core, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(users.Except(Allowed.Keys), Is.Empty, "a new regular expression in Core: say what it reads here and in docs/design.md; never a message's wording");
        Assert.That(Allowed.Keys.Except(users), Is.Empty, "listed but no longer using one: drop it from the list");
    }
}
