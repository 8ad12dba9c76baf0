using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Diagnosis;

public sealed class DiagnosisCatalogTests
{
    static CdpSdk.Core.Diagnosis.Diagnosis Diagnose(string code, string message, IReadOnlyList<string>? columns = null, Phase? phase = null) =>
        DiagnosisCatalog.Diagnose(new Failure(code, message, phase, null, null, columns));

    [TestCase("CDP4001", "Task +t: CDP3002: SQL failed: SQLite Error 1: 'no such column: t.mail'.")]
    [TestCase("CDP4001", "Query failed: line 1:8: Column 'mail' cannot be resolved")]
    [TestCase("CDP4001", "FAILED: SemanticException [Error 10004]: Line 1:7 Invalid column reference 'mail'")]
    [TestCase("CDP4001", "Task +transform_shop+shop_customers: Query failed (#20260101_000000_00311_fake0): line 3:20: Column 't.mail' cannot be resolved")]
    public void WrongColumnProposesTheClosestExistingColumns(string code, string message)
    {
        var d = Diagnose(code, message, ["member_id", "email", "mobile", "name"]);
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
        var d = Diagnose("CDP4001", "no such column: t.mail");
        Assert.That((d.Code, d.Confidence < 0.5, d.Fix.Diff), Is.EqualTo((DiagnosisCatalog.MissingColumn, true, (string?)null)));
    }

    [Test]
    public void AmbiguousColumnMatchesLowerTheConfidence()
    {
        var unique = Diagnose("CDP4001", "no such column: t.mail", ["email", "phone"]);
        var tied = Diagnose("CDP4001", "no such column: t.mail", ["email", "gmail"]);
        Assert.That(tied.Confidence, Is.LessThan(unique.Confidence));
    }

    [TestCase("no such table: retail_src.shopify_customers_hist_union", "retail_src.shopify_customers_hist_union")]
    [TestCase("Table 'retail_src.pos_members' does not exist", "retail_src.pos_members")]
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 7:6: Table 'td-presto.retail_src.pos_members' does not exist", "retail_src.pos_members")]
    public void MissingTableProposesRunningTheUpstreamPhase(string message, string table)
    {
        var d = Diagnose("CDP4001", message);
        Assert.That((d.Code, d.Title.Contains(table), d.Fix.Command, d.Kind),
            Is.EqualTo((DiagnosisCatalog.MissingTable, true, (string?)"dotnet build -t:CdpPipeline", FixKind.NeedsApproval)));
    }

    [TestCase("Schema 'retail_stg' does not exist")]
    [TestCase("unknown database retail_stg")]
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 7:6: Schema 'retail_stg' does not exist")]
    [TestCase("acme_unification uses databases that do not exist on TD: retail_stg. Run the upstream phase first, create them ('td db:create'), or set CdpCreateMissingDatabases=true.")]
    public void MissingDatabaseIsCreatedOnApprovalOrInAutonomousMode(string message)
    {
        var d = Diagnose("CDP4001", message);
        Assert.That((d.Code, d.Fix.Command, d.Kind, d.AppliesAutonomously(0.8)),
            Is.EqualTo((DiagnosisCatalog.MissingDatabase, (string?)"td db:create retail_stg", FixKind.NeedsApproval, true)));
    }

    [TestCase("HTTP 401 Unauthorized: invalid API key")]
    [TestCase("403 Forbidden")]
    public void AuthenticationFailureCannotBeFixedForTheUser(string message)
    {
        var d = Diagnose("CDP2010", message);
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0)), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible, false)));
        Assert.That(d.Fix.Description, Does.Contain("TD_API_KEY"));
    }

    [TestCase("CDP4001", "Task +unify failed: secret 'td.apikey' is not set")]
    [TestCase("CDP4001", "Task +unif_runner+unify: Secret not found for key: 'td.apikey' Likely cause: a project secret is missing: set CDP_SECRET_<KEY>.")]
    [TestCase("CDP2011", "acme_unification uses secrets that have no value: td.apikey. Set CDP_SECRET_TD__APIKEY in the environment.")]
    public void MissingSecretNamesTheSecret(string code, string message)
    {
        var d = Diagnose(code, message);
        Assert.That((d.Code, d.Title, d.Kind), Is.EqualTo((DiagnosisCatalog.MissingSecret, "Secret 'td.apikey' is missing", FixKind.Impossible)));
    }

    [Test]
    public void InvalidWorkflowFileIsRegenerated()
    {
        var d = Diagnose("CDP3006", "transform_pos.dig: while parsing a block mapping, did not find expected key");
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpGenerate")));
    }

    [Test]
    public void AWorkflowFileTdRefusedAtPushIsRegenerated()
    {
        var d = Diagnose("CDP2001", "TD workflow API rejected PUT /api/projects?project=acme_ingestion&revision=cdp-1 (HTTP 400): Invalid workflow definition shop_ingest_hist.dig: line 53, column 1: While parsing a flow sequence, did not find expected ',' or ']'.");
        Assert.That((d.Code, d.Kind, d.Cause.StartsWith("'shop_ingest_hist.dig'", StringComparison.Ordinal)), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.NeedsApproval, true)));
    }

    [Test]
    public void OtherRefusedRequestsAreNotWorkflowSyntax()
    {
        var d = Diagnose("CDP2001", "TD workflow API rejected PUT /api/projects/12/secrets/td.apikey (HTTP 400): invalid secret key: td.apikey.");
        Assert.That(d.Code, Is.Not.EqualTo(DiagnosisCatalog.WorkflowSyntax));
    }

    [Test]
    public void MonitorTimeoutReattachesWithALongerTimeout()
    {
        var d = Diagnose("CDP4002", "Staging: workflow transform_pos (attempt 7) still running after 120 minutes (CdpMonitorTimeout).");
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.Timeout, FixKind.Automatic, 0.8)));
    }

    [Test]
    public void KilledAttemptNeedsApprovalToRestart()
    {
        var d = Diagnose("CDP4003", "Staging: workflow transform_pos (attempt 7) was killed.");
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.KilledAttempt, FixKind.NeedsApproval, false)));
    }

    [TestCase("HTTP 503 Service Unavailable")]
    [TestCase("429 Too Many Requests")]
    [TestCase("Connection refused (127.0.0.1:8080)")]
    [TestCase("Starting transform_web: the Local warehouse is locked by another build of this project (SQLite: SQLite Error 5: 'database is locked'); the step is retried, or run one build at a time.")]
    public void TransientFailureIsRetried(string message)
    {
        var d = Diagnose("CDP2004", message);
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.TransientApi, FixKind.Automatic, 1.0)));
    }

    [Test]
    public void ValidationFailureProposesRerunningThePhase()
    {
        var d = Diagnose("CDP5002", "Staging: table retail_stg.pos_members is empty.", phase: Phase.Staging);
        Assert.That((d.Code, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.ValidationFailed, (string?)"dotnet build -t:CdpValidate -p:CdpPhase=Staging")));
    }

    [Test]
    public void HandEditedFileNeedsADecision()
    {
        // The message carries the edit's diff, which may hold any SQL; the code alone decides the diagnosis.
        var d = DiagnosisCatalog.Diagnose(new Failure("CDP6111", "Staging: 1 generated file(s) were edited by hand: +SELECT mail FROM t -- no such column: mail",
            Phase.Staging, Step.Deploy, "/p/obj/cdp/workflows/staging/queries/pos_members.sql"));
        Assert.That((d.Code, d.Kind, d.Confidence, d.ApprovalSwitch), Is.EqualTo((DiagnosisCatalog.HandEdited, FixKind.NeedsApproval, 0.9, "-p:CdpApprove=CDP6111")));
        Assert.That(d.Cause, Does.Contain("queries/pos_members.sql"));
        Assert.That(d.Fix.Description, Does.Contain("-p:CdpApprove=CDP6111").And.Contain("-p:CdpHandEditedFiles=Keep").And.Contain("obj/cdp/backups/"));
    }

    [Test]
    public void UnrecognisedFailureIsNotGuessed()
    {
        var d = Diagnose("CDP9999", "something odd");
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.Unknown, FixKind.Impossible, 0.0)));
    }

    // The Local target's own wording, as its runner reports a failed task through the workflow's CDP4001.
    [Test]
    public void LocalRunnerSyntaxErrorInsideAFailedWorkflowIsAWorkflowSyntaxError()
    {
        var d = Diagnose("CDP4001", "Ingestion: workflow web_ingest_inc failed (session 3, attempt 3). Task +web_ingest_inc: CDP3006: 'web_ingest_inc.dig' is not valid YAML (12,1): While scanning a flow sequence, did not find expected ',' or ']'.");
        Assert.That((d.Code, d.Kind, d.Cause.StartsWith("'web_ingest_inc.dig'")), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.NeedsApproval, true)));
    }

    [Test]
    public void LocalHttpSourceRejectionNamesTheVariableNotTdsKey()
    {
        var d = Diagnose("CDP4001", "Task +crm_ingest_inc+load_contacts+load: CDP3012: GET http://127.0.0.1:40109/contacts answered 401 Unauthorized; check the header value in $CRM_AUTH.");
        Assert.That((d.Code, d.Kind), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible)));
        Assert.That(d.Fix.Description, Does.Contain("CRM_AUTH").And.Not.Contain("TD_API_KEY"));
    }

    [Test]
    public void LocalUnsetAuthVariableIsAMissingSecret()
    {
        var d = Diagnose("CDP4001", "Task +crm_ingest_inc+load_contacts+load: CDP3013: task +crm_ingest_inc+load_contacts+load of crm_ingest_inc.dig: the environment variable CRM_AUTH (AuthHeaderEnv) is not set; set it to the Authorization header value before building.");
        Assert.That((d.Code, d.Title, d.Cause.Contains("environment variable CRM_AUTH")), Is.EqualTo((DiagnosisCatalog.MissingSecret, "Secret 'CRM_AUTH' is missing", true)));
    }

    [Test]
    public void LocalHttpSourceUnavailableIsTransient()
    {
        var d = Diagnose("CDP4001", "Task +crm_ingest_inc+load_contacts+load: CDP3012: GET http://127.0.0.1:40109/contacts answered 503 Service Unavailable.");
        Assert.That(d.Code, Is.EqualTo(DiagnosisCatalog.TransientApi));
    }

    // Attempt, session and row numbers grow without bound on Local: 401 or 503 among them is not a status.
    [TestCase("CDP4003", "Staging: workflow transform_pos (attempt 401) was killed.", DiagnosisCatalog.KilledAttempt)]
    [TestCase("CDP4001", "Staging: workflow transform_web failed (session 503, attempt 503). Task +transform_web+web_signups: CDP3002: SQL failed: SQLite Error 1: 'no such column: emial'.", DiagnosisCatalog.MissingColumn)]
    [TestCase("CDP5010", "Staging: check customer_email_present failed: 1 row(s) of retail_stg.shopify_customers have no cleaned_email (e.g. id=403).", DiagnosisCatalog.ValidationFailed)]
    public void BareNumbersAreNotStatusCodes(string code, string message, string expected) =>
        Assert.That(Diagnose(code, message).Code, Is.EqualTo(expected));

    [TestCase("TD query API refused the API key 1/abc… from TD_API_KEY (HTTP 401) for a call: Unauthorized.", DiagnosisCatalog.Authentication)]
    [TestCase("TD workflow API kept failing for GET /api/projects (HTTP 502: Bad Gateway).", DiagnosisCatalog.TransientApi)]
    [TestCase("the server returned status code 429", DiagnosisCatalog.TransientApi)]
    public void StatusCodesAfterTheirWordsAreRecognised(string message, string expected) =>
        Assert.That(Diagnose("CDP2001", message).Code, Is.EqualTo(expected));
}
