using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Tests;

/// <summary>The Local target's task errors as its runner stores them (the engine's words and the runner's codes), read in this one adapter.</summary>
public sealed class LocalTaskErrorsTests
{
    [TestCase("CDP3002: SQL failed: Binder Error: Referenced column \"mail\" not found in FROM clause! (LINE 3:)", FailureKind.MissingColumn, "mail")]
    [TestCase("CDP3002: SQL of task +t failed on database 'retail_stg': Catalog Error: Table with name retail_src.shopify_customers_hist_union does not exist! (LINE 10:)", FailureKind.MissingTable, "retail_src.shopify_customers_hist_union")]
    [TestCase("CDP3002: SQL of task +t failed on database 'retail_stg': Catalog Error: Table with name \"retail_src.shopify_customers_hist_union\" does not exist because schema \"retail_src\" does not exist.", FailureKind.MissingTable, "retail_src.shopify_customers_hist_union")]
    [TestCase("Catalog Error: Schema with name retail_stg does not exist!", FailureKind.MissingDatabase, "retail_stg")]
    public void TheEnginesWords(string error, FailureKind kind, string subject) =>
        Assert.That((LocalTaskErrors.Parse(error).Kind, LocalTaskErrors.Parse(error).Subject), Is.EqualTo((kind, subject)));

    [Test]
    public void AWorkflowFileTheRunnerCannotRead()
    {
        var cause = LocalTaskErrors.Parse("CDP3006: 'web_ingest_inc.dig' is not valid YAML (12,1): While scanning a flow sequence, did not find expected ',' or ']'.");
        Assert.That((cause.Kind, cause.File), Is.EqualTo((FailureKind.WorkflowSyntax, "web_ingest_inc.dig")));
    }

    [Test]
    public void AnHttpSourceThatRefusesItsHeaderNamesTheVariable()
    {
        var cause = LocalTaskErrors.Parse("CDP3012: GET http://127.0.0.1:40109/contacts answered 401 Unauthorized; check the header value in $CRM_AUTH.");
        Assert.That((cause.Kind, cause.EnvironmentVariable), Is.EqualTo((FailureKind.Authentication, "CRM_AUTH")));
    }

    [Test]
    public void AnUnsetHeaderVariableIsAMissingSecret()
    {
        var cause = LocalTaskErrors.Parse("CDP3013: task +crm_ingest_inc+load_contacts+load of crm_ingest_inc.dig: the environment variable CRM_AUTH (AuthHeaderEnv) is not set; set it to the Authorization header value before building.");
        Assert.That((cause.Kind, cause.Subject, cause.EnvironmentVariable), Is.EqualTo((FailureKind.MissingSecret, "CRM_AUTH", "CRM_AUTH")));
    }

    [TestCase("CDP3012: GET http://127.0.0.1:40109/contacts answered 503 Service Unavailable.")]
    [TestCase("CDP3014: The Local warehouse file '/w/retail-cdp.duckdb' is locked by process 4242 (/usr/bin/dotnet): another build of this project, or a DuckDB client with the file open.")]
    public void TransientFailures(string error) =>
        Assert.That(LocalTaskErrors.Parse(error).Kind, Is.EqualTo(FailureKind.Transient));

    [TestCase("CDP3002: SQL failed: division by zero in attempt 401")]
    public void BareNumbersAreNotStatusCodes(string error) =>
        Assert.That(LocalTaskErrors.Parse(error).Kind, Is.EqualTo(FailureKind.Unknown));
}
