using CdpSdk.Core.Diagnostics;

namespace CdpSdk.TreasureData.Tests;

/// <summary>TD gives a failed task's error only as text: the words of Presto/Trino, Hive, Digdag and TD's APIs, read in this one adapter.</summary>
public sealed class TdTaskErrorsTests
{
    [TestCase("Query failed: line 1:8: Column 'mail' cannot be resolved", "mail")]
    [TestCase("FAILED: SemanticException [Error 10004]: Line 1:7 Invalid column reference 'mail'", "mail")]
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 3:20: Column 't.mail' cannot be resolved", "mail")]
    public void AColumnThePrestoOrHiveQueryCannotResolve(string error, string column) =>
        Assert.That(TdTaskErrors.Parse(error), Is.EqualTo(new FailureCause(FailureKind.MissingColumn, column, Detail: error)));

    [TestCase("Table 'retail_src.pos_members' does not exist", "retail_src.pos_members")]
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 7:6: Table 'td-presto.retail_src.pos_members' does not exist", "retail_src.pos_members")]
    [TestCase("FAILED: SemanticException [Error 10001]: Line 1:14 Table not found 'pos_members'", "pos_members")]
    public void ATableThatDoesNotExist(string error, string table) =>
        Assert.That((TdTaskErrors.Parse(error).Kind, TdTaskErrors.Parse(error).Subject), Is.EqualTo((FailureKind.MissingTable, table)));

    [TestCase("Schema 'retail_stg' does not exist")]
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 7:6: Schema 'retail_stg' does not exist")]
    [TestCase("Database 'retail_stg' not found")]
    public void ADatabaseThatDoesNotExist(string error) =>
        Assert.That((TdTaskErrors.Parse(error).Kind, TdTaskErrors.Parse(error).Subject), Is.EqualTo((FailureKind.MissingDatabase, "retail_stg")));

    [TestCase("Secret not found for key: 'td.apikey'")]
    [TestCase("Task +unif_runner+unify: Secret not found for key: 'td.apikey' Likely cause: a project secret is missing: set CDP_SECRET_<KEY>.")]
    public void ASecretDigdagCannotFind(string error) =>
        Assert.That((TdTaskErrors.Parse(error).Kind, TdTaskErrors.Parse(error).Subject), Is.EqualTo((FailureKind.MissingSecret, "td.apikey")));

    // A query Presto or Hive cannot parse: where it stopped, so Monitor can point at the user's TransformSql line.
    [TestCase("Query failed (#20260101_000000_00311_fake0): line 14:1: mismatched input 'FROM'. Expecting: <expression>", 14, 1, "FROM")]
    [TestCase("line 3:12: extraneous input ',' expecting {<EOF>, 'FROM'}", 3, 12, ",")]
    [TestCase("Query failed: line 1:8: no viable alternative at input 'SELECT FROM'", 1, 8, "SELECT FROM")]
    [TestCase("FAILED: ParseException line 14:0 cannot recognize input near 'FROM' 'cleaned' '<EOF>' in select clause", 14, 0, "FROM")]
    public void WhereAQueryPrestoOrHiveCannotParseStopped(string error, int line, int column, string token)
    {
        var cause = TdTaskErrors.Parse(error);
        Assert.That((cause.Kind, cause.Syntax), Is.EqualTo((FailureKind.Unknown, (SqlSyntaxError?)new SqlSyntaxError(line, column, token))), "no diagnosis: only the user can fix the SQL");
    }

    [TestCase("Query failed: line 1:8: Column 'mail' cannot be resolved")]
    [TestCase("HTTP 503 Service Unavailable")]
    public void OtherFailuresAreNoSyntaxError(string error) =>
        Assert.That(TdTaskErrors.Parse(error).Syntax, Is.Null);

    [TestCase("HTTP 401 Unauthorized: invalid API key")]
    [TestCase("403 Forbidden")]
    public void CredentialsRefused(string error) =>
        Assert.That(TdTaskErrors.Parse(error).Kind, Is.EqualTo(FailureKind.Authentication));

    [TestCase("HTTP 503 Service Unavailable")]
    [TestCase("429 Too Many Requests")]
    [TestCase("Connection refused (127.0.0.1:8080)")]
    [TestCase("Query failed: Encountered too many errors talking to a worker node.")]
    public void TransientServiceFailures(string error) =>
        Assert.That(TdTaskErrors.Parse(error).Kind, Is.EqualTo(FailureKind.Transient));

    // A job, session or row number is not a status: 401 or 503 among them means nothing.
    [TestCase("Query 20260101_000000_00401_abcde failed: Division by zero")]
    [TestCase("Task failed at row 503")]
    public void BareNumbersAreNotStatusCodes(string error) =>
        Assert.That(TdTaskErrors.Parse(error).Kind, Is.EqualTo(FailureKind.Unknown));

    [Test]
    public void APushedProjectTdCannotReadNamesItsWorkflowFile()
    {
        var cause = TdTaskErrors.RejectedProject("Invalid workflow definition shop_ingest_hist.dig: line 53, column 1: While parsing a flow sequence, did not find expected ',' or ']'.");
        Assert.That((cause.Kind, cause.File), Is.EqualTo((FailureKind.WorkflowSyntax, "shop_ingest_hist.dig")));
        Assert.That(TdTaskErrors.RejectedProject("invalid secret key: td.apikey").Kind, Is.EqualTo(FailureKind.Unknown));
    }
}
