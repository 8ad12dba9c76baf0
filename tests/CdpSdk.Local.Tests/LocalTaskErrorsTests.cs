using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The cause the Local runner stores with a failed task: the one its raiser gave, the kind its code always
/// means, or what DuckDB's own words name. The runner's messages are never read (the self-healing tests
/// provoke each failure for real; here the adapter's rules one by one).
/// </summary>
public sealed class LocalTaskErrorsTests
{
    [TestCase("Binder Error: Referenced column \"mail\" not found in FROM clause! (LINE 3:)", FailureKind.MissingColumn, "mail")]
    [TestCase("Binder Error: Table \"t\" does not have a column named \"mobil\" (LINE 7:)", FailureKind.MissingColumn, "mobil")]
    [TestCase("Catalog Error: Table with name retail_src.shopify_customers_hist_union does not exist! (LINE 10:)", FailureKind.MissingTable, "retail_src.shopify_customers_hist_union")]
    [TestCase("Catalog Error: Table with name \"retail_src.shopify_customers_hist_union\" does not exist because schema \"retail_src\" does not exist.", FailureKind.MissingTable, "retail_src.shopify_customers_hist_union")]
    [TestCase("Catalog Error: Schema with name retail_stg does not exist!", FailureKind.MissingDatabase, "retail_stg")]
    public void DuckDbsOwnWords(string message, FailureKind kind, string subject) =>
        Assert.That((LocalTaskErrors.Native(message).Kind, LocalTaskErrors.Native(message).Subject), Is.EqualTo((kind, subject)));

    [Test]
    public void TheCauseTheRaiserGaveIsKept()
    {
        var cause = new FailureCause(FailureKind.Authentication, EnvironmentVariable: "CRM_AUTH");
        Assert.That(LocalTaskErrors.CauseOf(new CdpException("CDP3012", "any words", cause: cause)), Is.EqualTo(cause));
    }

    [Test]
    public void ACodeThatAlwaysMeansOneKindNeedsNoWords() =>
        Assert.That(LocalTaskErrors.CauseOf(new CdpException("CDP3006", "any words")).Kind, Is.EqualTo(FailureKind.WorkflowSyntax));

    [TestCase("CDP3002: division by zero in attempt 401")]
    [TestCase("CDP3012: GET http://127.0.0.1:40109/contacts answered 503 Service Unavailable.")]
    public void TheRunnersOwnWordsDecideNothing(string message) =>
        Assert.That(LocalTaskErrors.CauseOf(new CdpException("CDP3002", message)).Kind, Is.EqualTo(FailureKind.Unknown));
}
