using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Diagnosis;

/// <summary>
/// The catalogue maps typed failures (a kind and a subject, as an adapter raised them) to diagnoses. The
/// wording of TD's, Presto's, Hive's and the Local engine's errors is read by the adapters, and tested
/// with them (TdTaskErrorsTests, LocalTaskErrorsTests).
/// </summary>
public sealed class DiagnosisCatalogTests
{
    static CdpSdk.Core.Diagnosis.Diagnosis Diagnose(FailureCause cause, string code = "CDP4001", IReadOnlyList<string>? columns = null, Phase? phase = null, string? file = null) =>
        DiagnosisCatalog.Diagnose(new Failure(code, "the message as the user read it", cause, phase, null, file, columns));

    [Test]
    public void WrongColumnProposesTheClosestExistingColumns()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingColumn, "mail"), columns: ["member_id", "email", "mobile", "name"]);
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(DiagnosisCatalog.MissingColumn));
            Assert.That(d.Cause, Does.Contain("'email'"));
            Assert.That(d.Fix.Diff, Is.EqualTo("- mail\n+ email"));
            Assert.That(d.Kind, Is.EqualTo(FixKind.NeedsApproval));
            Assert.That(d.Confidence, Is.EqualTo(0.8).Within(0.001));
            Assert.That(d.ApprovalSwitch, Is.EqualTo("-p:CdpApprove=CDP6104"));
        });
    }

    [Test]
    public void WrongColumnWithoutKnownColumnsIsLowConfidence()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingColumn, "mail"));
        Assert.That((d.Code, d.Confidence < 0.5, d.Fix.Diff), Is.EqualTo((DiagnosisCatalog.MissingColumn, true, (string?)null)));
    }

    [Test]
    public void AmbiguousColumnMatchesLowerTheConfidence()
    {
        var unique = Diagnose(new FailureCause(FailureKind.MissingColumn, "mail"), columns: ["email", "phone"]);
        var tied = Diagnose(new FailureCause(FailureKind.MissingColumn, "mail"), columns: ["email", "gmail"]);
        Assert.That(tied.Confidence, Is.LessThan(unique.Confidence));
    }

    [Test]
    public void MissingTableProposesRunningTheUpstreamPhase()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingTable, "retail_src.pos_members"));
        Assert.That((d.Code, d.Title.Contains("retail_src.pos_members"), d.Fix.Command, d.Kind),
            Is.EqualTo((DiagnosisCatalog.MissingTable, true, (string?)"dotnet build -t:CdpPipeline", FixKind.NeedsApproval)));
    }

    [Test]
    public void MissingDatabaseIsCreatedOnApprovalOrInAutonomousMode()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingDatabase, "retail_stg"));
        Assert.That((d.Code, d.Fix.Command, d.Kind, d.AppliesAutonomously(0.8)),
            Is.EqualTo((DiagnosisCatalog.MissingDatabase, (string?)"td db:create retail_stg", FixKind.NeedsApproval, true)));
    }

    [Test]
    public void TdKeyRefusedCannotBeFixedForTheUser()
    {
        var d = Diagnose(new FailureCause(FailureKind.Authentication), "CDP2003");
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0)), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible, false)));
        Assert.That(d.Fix.Description, Does.Contain("TD_API_KEY"));
    }

    [Test]
    public void AnHttpSourceRefusedNamesItsVariableNotTdsKey()
    {
        var d = Diagnose(new FailureCause(FailureKind.Authentication, EnvironmentVariable: "CRM_AUTH"));
        Assert.That((d.Code, d.Kind), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible)));
        Assert.That(d.Fix.Description, Does.Contain("CRM_AUTH").And.Not.Contain("TD_API_KEY"));
    }

    [Test]
    public void MissingSecretNamesTheSecret()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingSecret, "td.apikey"), "CDP2011");
        Assert.That((d.Code, d.Title, d.Kind, d.Cause.Contains("${secret:td.apikey}")),
            Is.EqualTo((DiagnosisCatalog.MissingSecret, "Secret 'td.apikey' is missing", FixKind.Impossible, true)));
    }

    [Test]
    public void AnUnsetCredentialVariableIsAMissingSecretReadFromTheEnvironment()
    {
        var d = Diagnose(new FailureCause(FailureKind.MissingSecret, "CRM_AUTH", EnvironmentVariable: "CRM_AUTH"));
        Assert.That((d.Code, d.Title, d.Cause.Contains("environment variable CRM_AUTH")), Is.EqualTo((DiagnosisCatalog.MissingSecret, "Secret 'CRM_AUTH' is missing", true)));
    }

    [Test]
    public void InvalidWorkflowFileIsRegeneratedAndNamed()
    {
        var d = Diagnose(new FailureCause(FailureKind.WorkflowSyntax, File: "shop_ingest_hist.dig"), "CDP2001");
        Assert.That((d.Code, d.Kind, d.Fix.Command, d.Cause.StartsWith("'shop_ingest_hist.dig'", StringComparison.Ordinal)),
            Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpGenerate", true)));
    }

    [TestCase("CDP3006")]
    [TestCase("CDP1020")]
    public void CodesThatAlwaysMeanAnInvalidWorkflowFileNeedNoCause(string code)
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error(code, "any words", new SourceLocation("x.dig", 3))));
        Assert.That((d.Code, d.Cause.StartsWith("'x.dig'", StringComparison.Ordinal)), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, true)));
    }

    [Test]
    public void MonitorTimeoutReattachesWithALongerTimeout()
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error("CDP4002", "any words")));
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.Timeout, FixKind.Automatic, 0.8)));
    }

    [Test]
    public void KilledAttemptNeedsApprovalToRestart()
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error("CDP4003", "any words")));
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.KilledAttempt, FixKind.NeedsApproval, false)));
    }

    [Test]
    public void TransientFailureIsRetried()
    {
        var d = Diagnose(new FailureCause(FailureKind.Transient), "CDP2004");
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.TransientApi, FixKind.Automatic, 1.0)));
    }

    [Test]
    public void ValidationFailureProposesRerunningThePhase()
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error("CDP5002", "any words"), Phase.Staging));
        Assert.That((d.Code, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.ValidationFailed, (string?)"dotnet build -t:CdpValidate -p:CdpPhase=Staging")));
    }

    [Test]
    public void ACauseTheRaiserRecordedWinsOverItsCode()
    {
        // A TD validation query (CDP5100) that failed because the table is not there: the table is the cause.
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error("CDP5100", "any words") with { Cause = new FailureCause(FailureKind.MissingTable, "retail_stg.pos_members") }));
        Assert.That(d.Code, Is.EqualTo(DiagnosisCatalog.MissingTable));
    }

    [Test]
    public void HandEditedFileNeedsADecision()
    {
        // The message carries the edit's diff, which may hold any SQL; only the code decides the diagnosis.
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error("CDP6111", "Staging: 1 generated file(s) were edited by hand: +SELECT mail FROM t -- no such column: mail",
            new SourceLocation("/p/obj/cdp/workflows/staging/queries/pos_members.sql")), Phase.Staging, Step.Deploy));
        Assert.That((d.Code, d.Kind, d.Confidence, d.ApprovalSwitch), Is.EqualTo((DiagnosisCatalog.HandEdited, FixKind.NeedsApproval, 0.9, "-p:CdpApprove=CDP6111")));
        Assert.That(d.Cause, Does.Contain("queries/pos_members.sql"));
        Assert.That(d.Fix.Description, Does.Contain("-p:CdpApprove=CDP6111").And.Contain("-p:CdpHandEditedFiles=Keep").And.Contain("obj/cdp/backups/"));
    }

    [TestCase("CDP9999", "something odd")]
    [TestCase("CDP4001", "Task +t: no such column: mail (words alone never decide)")]
    [TestCase("CDP2001", "HTTP 503 Service Unavailable (words alone never decide)")]
    public void AFailureWithoutACauseIsNotGuessedFromItsWords(string code, string message)
    {
        var d = DiagnosisCatalog.Diagnose(Failure.Of(Diagnostic.Error(code, message)));
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.Unknown, FixKind.Impossible, 0.0)));
    }

    /// <summary>
    /// Each kind an adapter can raise has its own diagnosis, and each diagnosis its own kind: so a new kind
    /// needs a catalogue entry, and a new entry is then demanded on both targets by their CatalogueCoverageTests.
    /// </summary>
    [Test]
    public void EveryFailureKindHasItsOwnDiagnosisAndEveryDiagnosisAKind()
    {
        var byKind = Enum.GetValues<FailureKind>().Where(k => k != FailureKind.Unknown)
            .ToDictionary(k => k, k => Diagnose(new FailureCause(k, "x", File: "f.dig")).Code);
        Assert.Multiple(() =>
        {
            foreach (var (kind, code) in byKind)
                Assert.That(DiagnosisCatalog.Codes, Does.Contain(code), $"{kind} has no diagnosis of its own");
            Assert.That(byKind.Values, Is.Unique, "two kinds share a diagnosis");
            Assert.That(byKind.Values, Is.EquivalentTo(DiagnosisCatalog.Codes), "a diagnosis no kind leads to");
        });
    }
}
