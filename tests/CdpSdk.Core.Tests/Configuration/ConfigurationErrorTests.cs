using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>Each configuration error code, produced by one mistake in an otherwise valid project, pointing where the mistake is.</summary>
public class ConfigurationErrorTests
{
    SampleFolder folder = null!;

    [SetUp] public void CreateFolder() => folder = new SampleFolder();
    [TearDown] public void DeleteFolder() => folder.Dispose();

    public sealed record Mistake(string Code, Func<ProjectBuilder, ProjectBuilder> Make, Func<ProjectBuilder, SourceLocation> At, string MessagePart = "")
    {
        public Func<SampleFolder, ApiKey?> Key { get; init; } = _ => null;
    }

    static Func<ProjectBuilder, SourceLocation> Property(string name) => b => b.PropertyAt(name);
    static Func<ProjectBuilder, SourceLocation> Item(string type, string identity) => b => b.ItemAt(type, identity);
    static readonly Func<ProjectBuilder, SourceLocation> ProjectFile = b => new SourceLocation(b.ProjectFile);

    static TestCaseData Case(string name, Mistake m) => new TestCaseData(m).SetArgDisplayNames(m.Code + " " + name);

    public static IEnumerable<TestCaseData> Mistakes()
    {
        yield return Case("misspelt property", new("CDP0001", b => b.Property("CdpClinet", "x"), Property("CdpClinet"), "Did you mean 'CdpClient'?"));
        yield return Case("misspelt step property", new("CDP0001", b => b.Property("CdpMonitorTimout", "5"), Property("CdpMonitorTimout"), "Did you mean 'CdpMonitorTimeout'?"));
        yield return Case("misspelt directory property", new("CDP0001", b => b.Property("CdpGeneratedDirectory", "gen/"), Property("CdpGeneratedDirectory")));
        yield return Case("unknown item type", new("CDP0002", b => b.Item("CdpSoruce", "x"), Item("CdpSoruce", "x"), "Did you mean 'CdpSource'?"));
        yield return Case("misspelt metadata", new("CDP0003", b => b.Item("CdpSource", "extra", "Mdoe=both").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra"), "Did you mean 'Mode'?"));
        yield return Case("secret in a property", new("CDP0004", b => b.Property("TdApiKey", "1/abc"), Property("TdApiKey"), "TD_API_KEY"));
        yield return Case("missing client", new("CDP0010", b => b.WithoutProperty("CdpClient"), ProjectFile));
        yield return Case("invalid client", new("CDP0011", b => b.Property("CdpClient", "Acme-Retail"), Property("CdpClient")));
        yield return Case("unknown target", new("CDP0012", b => b.Property("CdpTarget", "Cloud"), Property("CdpTarget"), "Local, TreasureData"));
        yield return Case("unknown region", new("CDP0013", b => b.Property("CdpRegion", "mars"), Property("CdpRegion")));
        yield return Case("endpoint with credentials", new("CDP0014", b => b.Property("CdpEndpoint", "https://user:pw@proxy.example.com"), Property("CdpEndpoint")));
        yield return Case("endpoint not http", new("CDP0014", b => b.Property("CdpWorkflowEndpoint", "ftp://proxy.example.com"), Property("CdpWorkflowEndpoint")));
        yield return Case("unknown engine", new("CDP0015", b => b.Property("CdpSqlEngine", "spark"), Property("CdpSqlEngine")));
        yield return Case("unknown mode", new("CDP0016", b => b.Property("CdpMode", "Auto"), Property("CdpMode")));
        yield return Case("unknown warehouse storage", new("CDP0165", b => b.Property("CdpWarehouseStorage", "Zip"), Property("CdpWarehouseStorage")));
        yield return Case("unknown phase", new("CDP0017", b => b.Property("CdpPhase", "Loading"), Property("CdpPhase")));
        yield return Case("invalid database property", new("CDP0018", b => b.Property("CdpStagingDatabase", "Stg"), Property("CdpStagingDatabase")));
        yield return Case("invalid source database", new("CDP0018", b => b.Item("CdpSource", "extra", "Database=x").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra")));
        yield return Case("coverage out of range", new("CDP0019", b => b.Property("CdpMinIdCoverage", "150"), Property("CdpMinIdCoverage")));
        yield return Case("timeout not a number", new("CDP0019", b => b.Property("CdpMonitorTimeout", "soon"), Property("CdpMonitorTimeout")));
        yield return Case("confidence above one", new("CDP0019", b => b.Property("CdpAutoFixMinConfidence", "80"), Property("CdpAutoFixMinConfidence")));
        yield return Case("approval of an error code", new("CDP0022", b => b.Property("CdpApprove", "CDP4001"), Property("CdpApprove"), "CDP6104"));
        yield return Case("skip of a non-phase", new("CDP0023", b => b.Property("CdpSkipFailedPhase", "Staging;Loading"), Property("CdpSkipFailedPhase"), "'Loading'"));
        yield return Case("unknown hand-edit decision", new("CDP0024", b => b.Property("CdpHandEditedFiles", "Merge"), Property("CdpHandEditedFiles"), "Ask, Keep, Regenerate"));
        yield return Case("malformed api key", new("CDP0021", b => b.Property("CdpTarget", "TreasureData"), Property("CdpTarget"), "****7890") { Key = _ => new ApiKey("not-a-key-1234567890", "test") });
        yield return Case("flag not true or false", new("CDP0200", b => b.Property("CdpKillOnCancel", "yes"), Property("CdpKillOnCancel"), "true, false"));
        yield return Case("secrets file missing", new("CDP0201", b => b.Property("CdpTarget", "TreasureData").Property("CdpSecretsFile", "nowhere/secrets.json"), Property("CdpSecretsFile"), "CDP_SECRET_") { Key = _ => new ApiKey("1/abcdef1234", "test") });
        yield return Case("no source", new("CDP0030", b => b.WithoutItems("CdpSource").WithoutItems("CdpObject"), ProjectFile));
        yield return Case("invalid source name", new("CDP0031", b => b.Item("CdpSource", "Extra").Item("CdpObject", "things", "Source=Extra", "Location=data/web/signups.csv"), Item("CdpSource", "Extra")));
        yield return Case("source twice", new("CDP0032", b => b.Item("CdpSource", "pos"), Item("CdpSource", "pos")));
        yield return Case("unknown load mode", new("CDP0033", b => b.Item("CdpSource", "extra", "Mode=daily").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra"), "incremental, historical, both"));
        yield return Case("start date not a date", new("CDP0034", b => b.Item("CdpSource", "extra", "StartDate=yesterday").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra")));
        yield return Case("incremental field not a column", new("CDP0035", b => b.Item("CdpSource", "extra", "IncrementalField=updated at").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra")));
        yield return Case("connector not a name", new("CDP0036", b => b.Item("CdpSource", "extra", "Connector=s3 bucket").Item("CdpObject", "things", "Source=extra", "Location=data/web/signups.csv"), Item("CdpSource", "extra")));
        yield return Case("remote connector on Local", new("CDP0037", b => b.Item("CdpSource", "extra", "Connector=s3").Item("CdpObject", "things", "Source=extra", "Location=bucket/things"), Item("CdpSource", "extra")));
        yield return Case("auth header secret instead of a variable name", new("CDP0150", b => b.Item("CdpSource", "extra", "Connector=http", "AuthHeaderEnv=Bearer abc").Item("CdpObject", "things", "Source=extra", "Location=https://api.example.com/things"), Item("CdpSource", "extra")));
        yield return Case("http object without a URL", new("CDP0151", b => b.Item("CdpSource", "extra", "Connector=http").Item("CdpObject", "things", "Source=extra", "Location=data/things.json"), Item("CdpObject", "things")));
        yield return Case("http object as csv", new("CDP0152", b => b.Item("CdpSource", "extra", "Connector=http").Item("CdpObject", "things", "Source=extra", "Location=https://api.example.com/things", "Format=csv"), Item("CdpObject", "things")));
        yield return Case("master attribute without a source column", new("CDP0153", b => b.Item("CdpUnificationMasterAttribute", "best_email", "SourceColumns=nowhere.email"), Item("CdpUnificationMasterAttribute", "best_email"), "does not unify"));
        yield return Case("AcceptNewColumns not a boolean", new("CDP0160", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Table=web_things", "AcceptNewColumns=yes"), Item("CdpObject", "things"), "true, false"));
        yield return Case("delimiter of two characters", new("CDP0161", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Table=web_things", "Delimiter=;;"), Item("CdpObject", "things"), "one character"));
        yield return Case("csv settings on a json file", new("CDP0161", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Table=web_things", "Format=json", "Quote='"), Item("CdpObject", "things"), "apply to CSV files"));
        yield return Case("header-less columns with a bad name", new("CDP0163", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Table=web_things", "Columns=id,e-mail"), Item("CdpObject", "things"), "'e-mail'"));
        yield return Case("parquet file on TreasureData", new("CDP0164", b => b.Property("CdpTarget", "TreasureData").Item("CdpObject", "things", "Source=web", "Location=data/web/things.parquet", "Table=web_things"), Item("CdpObject", "things"), "S3 Parquet") { Key = _ => new ApiKey("1/abcdef1234", "test") });
        yield return Case("unknown encoding", new("CDP0162", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Table=web_things", "Encoding=klingon"), Item("CdpObject", "things"), "Shift_JIS"));
        yield return Case("object without source", new("CDP0040", b => b.Item("CdpObject", "things", "Location=data/web/signups.csv"), Item("CdpObject", "things"), "has no Source"));
        yield return Case("object of unknown source", new("CDP0040", b => b.Item("CdpObject", "things", "Source=crm", "Location=data/web/signups.csv"), Item("CdpObject", "things"), "shopify, pos, web"));
        yield return Case("object of unknown source with a check on its table", new("CDP0040", b => b.Item("CdpObject", "things", "Source=crm", "Location=data/web/signups.csv").Item("CdpCheck", "things_ids", "Phase=Ingestion", "Table=crm_things", "Column=id", "Rule=not_null"), Item("CdpObject", "things"), "shopify, pos, web"));
        yield return Case("object without source with a check on its table", new("CDP0040", b => b.Item("CdpObject", "things", "Location=data/web/signups.csv").Item("CdpCheck", "things_ids", "Phase=Ingestion", "Table=_things", "Column=id", "Rule=not_null"), Item("CdpObject", "things"), "has no Source"));
        yield return Case("object without location", new("CDP0041", b => b.Item("CdpObject", "things", "Source=web"), Item("CdpObject", "things")));
        yield return Case("two objects one table", new("CDP0042", b => b.Item("CdpObject", "visits", "Source=web", "Location=data/web/signups.csv", "Table=web_signups"), Item("CdpObject", "visits")));
        yield return Case("unsupported format", new("CDP0043", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "Format=xml"), Item("CdpObject", "things"), "csv, json, ndjson"));
        yield return Case("invalid object name", new("CDP0044", b => b.Item("CdpObject", "Things", "Source=web", "Location=data/web/signups.csv"), Item("CdpObject", "Things")));
        yield return Case("invalid primary key", new("CDP0044", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/signups.csv", "PrimaryKey=the id"), Item("CdpObject", "things")));
        yield return Case("missing data file", new("CDP0045", b => b.Item("CdpObject", "things", "Source=web", "Location=data/web/things.csv"), Item("CdpObject", "things"), "data/web/things.csv"));
        yield return Case("missing historical file", new("CDP0045", b => b.Item("CdpObject", "things", "Source=shopify", "Location=data/web/signups.csv", "HistoricalLocation=data/old.csv"), Item("CdpObject", "things"), "data/old.csv"));
        yield return Case("missing file of historical-only source", new("CDP0045", b => b.Item("CdpSource", "archive", "Mode=historical").Item("CdpObject", "orders", "Source=archive", "Location=data/archive/orders.csv"), Item("CdpObject", "orders"), "data/archive/orders.csv"));
        yield return Case("source without objects", new("CDP0046", b => b.Item("CdpSource", "crm"), Item("CdpSource", "crm")));
        yield return Case("hist-union of unknown table", new("CDP0050", b => b.Item("CdpHistUnion", "crm_people"), Item("CdpHistUnion", "crm_people"), "shopify_customers"));
        yield return Case("hist-union twice", new("CDP0051", b => b.Item("CdpHistUnion", "pos_members").Item("CdpHistUnion", "pos_members"), Item("CdpHistUnion", "pos_members")));
        yield return Case("staging of unknown table", new("CDP0060", b => b.Item("CdpStaging", "crm_people"), Item("CdpStaging", "crm_people")));
        yield return Case("invalid staging table", new("CDP0061", b => b.WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "EmailColumns=email", "Table=Members-Clean"), Item("CdpStaging", "pos_members")));
        yield return Case("two staging items one table", new("CDP0062", b => b.Item("CdpStaging", "web_signups_hist_union", "Table=pos_members"), Item("CdpStaging", "web_signups_hist_union")));
        yield return Case("staging column not a name", new("CDP0063", b => b.WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "EmailColumns=e mail"), Item("CdpStaging", "pos_members")));
        yield return Case("unknown check rule", new("CDP0250", b => b.Item("CdpCheck", "ids", "Rule=is_unique", "Phase=Staging", "Table=pos_members", "Column=member_id"), Item("CdpCheck", "ids"), "not_null, unique"));
        yield return Case("check without phase", new("CDP0251", b => b.Item("CdpCheck", "ids", "Rule=unique", "Table=pos_members", "Column=member_id"), Item("CdpCheck", "ids"), "no Phase"));
        yield return Case("check of a table the phase does not produce", new("CDP0252", b => b.Item("CdpCheck", "ids", "Rule=unique", "Phase=Staging", "Table=pos_members_hist_union", "Column=member_id"), Item("CdpCheck", "ids"), "pos_members"));
        yield return Case("check without column", new("CDP0253", b => b.Item("CdpCheck", "ids", "Rule=not_null", "Phase=Staging", "Table=pos_members"), Item("CdpCheck", "ids"), "needs a Column"));
        yield return Case("unknown check severity", new("CDP0254", b => b.Item("CdpCheck", "ids", "Rule=unique", "Phase=Staging", "Table=pos_members", "Column=member_id", "Severity=fatal"), Item("CdpCheck", "ids"), "error, warn"));
        yield return Case("accepted values without values", new("CDP0255", b => b.Item("CdpCheck", "status", "Rule=accepted_values", "Phase=Ingestion", "Table=ingestion_log", "Column=status"), Item("CdpCheck", "status")));
        yield return Case("relationship without target", new("CDP0256", b => b.Item("CdpCheck", "fk", "Rule=relationships", "Phase=Staging", "Table=shopify_orders", "Column=cleaned_customer_email"), Item("CdpCheck", "fk"), "needs To"));
        yield return Case("range without bounds", new("CDP0257", b => b.Item("CdpCheck", "amount", "Rule=range", "Phase=Staging", "Table=shopify_orders", "Column=amount"), Item("CdpCheck", "amount"), "Min, Max"));
        yield return Case("max age not a duration", new("CDP0258", b => b.Item("CdpCheck", "fresh", "Rule=freshness", "Phase=Staging", "Table=web_signups", "Column=event_time", "MaxAge=a week"), Item("CdpCheck", "fresh"), "7d"));
        yield return Case("check twice", new("CDP0259", b => b.Item("CdpCheck", "ids", "Rule=unique", "Phase=Staging", "Table=pos_members", "Column=member_id").Item("CdpCheck", "ids", "Rule=not_null", "Phase=Staging", "Table=pos_members", "Column=member_id"), Item("CdpCheck", "ids"), "declared twice"));
        yield return Case("warnings as errors not a boolean", new("CDP0261", b => b.Property("CdpWarningsAsErrors", "sometimes"), Property("CdpWarningsAsErrors")));
        yield return Case("unknown schema type", new("CDP0262", b => b.Item("CdpCheck", "shape", "Rule=schema", "Phase=Staging", "Table=pos_members", "Column=member_id:uuid"), Item("CdpCheck", "shape"), "string, integer, number"));
        yield return Case("invalid unification name", new("CDP0070", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "Customer360"), Item("CdpUnification", "Customer360")));
        yield return Case("unification twice", new("CDP0070", b => b.Item("CdpUnification", "customer_360"), Item("CdpUnification", "customer_360"), "declared twice"));
        yield return Case("id name not a column", new("CDP0070", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "IdName=td id"), Item("CdpUnification", "customer_360")));
        yield return Case("unknown id method", new("CDP0071", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "IdMethod=uuid"), Item("CdpUnification", "customer_360"), "persistent_id, canonical_id"));
        yield return Case("unknown update strategy", new("CDP0072", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UpdateStrategy=daily"), Item("CdpUnification", "customer_360")));
        yield return Case("too many merge iterations", new("CDP0073", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "MergeIterations=50"), Item("CdpUnification", "customer_360")));
        yield return Case("invalid key name", new("CDP0074", b => b.Item("CdpUnificationKey", "e-mail").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:e-mail"), Item("CdpUnificationKey", "e-mail")));
        yield return Case("invalid key regexp", new("CDP0074", b => b.Item("CdpUnificationKey", "email", "ValidRegexp=([a-z").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email"), Item("CdpUnificationKey", "email")));
        yield return Case("unused key", new("CDP0074", b => b.Item("CdpUnificationKey", "email").Item("CdpUnificationKey", "loyalty_id").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email"), Item("CdpUnification", "customer_360"), "loyalty_id"));
        yield return Case("malformed key columns", new("CDP0075", b => b.Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email"), Item("CdpUnificationTable", "pos_members"), "column:key"));
        yield return Case("unification table not staged", new("CDP0075", b => b.Item("CdpUnificationTable", "crm_people", "KeyColumns=email:email"), Item("CdpUnificationTable", "crm_people"), "not a staging table"));
        yield return Case("unification table not a SQL symbol", new("CDP0075", b => b.Item("CdpUnificationTable", "crm-people", "Database=crm_db", "KeyColumns=email:email"), Item("CdpUnificationTable", "crm-people"), "SQL symbol"));
        yield return Case("unification table database not a SQL symbol", new("CDP0075", b => b.Item("CdpUnificationTable", "crm_people", "Database=crm-db", "KeyColumns=email:email"), Item("CdpUnificationTable", "crm_people"), "Database 'crm-db'"));
        yield return Case("unification table declared twice", new("CDP0075", b => b.Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email"), Item("CdpUnificationTable", "pos_members"), "twice"));
        yield return Case("unification table with 33 key columns", new("CDP0075", b => b.Item("CdpUnificationTable", "pos_members", "KeyColumns=" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"c{i}:email"))), Item("CdpUnificationTable", "pos_members"), "at most 32"));
        yield return Case("key with 128 invalid texts", new("CDP0074", b => b.Item("CdpUnificationKey", "email", "InvalidTexts=" + string.Join(",", Enumerable.Range(0, 128).Select(i => $"t{i}"))).Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email"), Item("CdpUnificationKey", "email"), "at most 127"));
        yield return Case("master attribute with 128 invalid texts", new("CDP0153", b => b.Item("CdpUnificationMasterAttribute", "best_email", "SourceColumns=pos_members.cleaned_email", "InvalidTexts=" + string.Join(",", Enumerable.Range(0, 128).Select(i => $"t{i}"))), Item("CdpUnificationMasterAttribute", "best_email"), "at most 127"));
        yield return Case("table uses undeclared key", new("CDP0075", b => b.Item("CdpUnificationKey", "email").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email,standardized_mobile:phone"), Item("CdpUnificationTable", "pos_members"), "'phone'"));
        yield return Case("unification without tables", new("CDP0076", b => b.WithoutItems("CdpStaging"), Item("CdpUnification", "customer_360")));
        yield return Case("key of which unification", new("CDP0077", b => b.Item("CdpUnification", "household").Item("CdpUnificationKey", "email"), Item("CdpUnificationKey", "email"), "must say which unification"));
        yield return Case("key of unknown unification", new("CDP0077", b => b.Item("CdpUnificationKey", "email", "Unification=household"), Item("CdpUnificationKey", "email"), "'household'"));
        yield return Case("no unification", new("CDP0078", b => b.WithoutItems("CdpUnification"), ProjectFile));
        yield return Case("transform sql missing", new("CDP0100", b => b.WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "EmailColumns=email", "TransformSql=sql/members.sql"), Item("CdpStaging", "pos_members"), "sql/members.sql"));
        yield return Case("transform sql of two statements", new("CDP0101", b => WithFile(b, "sql/two.sql", "SELECT * FROM cleaned;\nDROP TABLE x;\n").WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "TransformSql=sql/two.sql"),
            b => new SourceLocation(Path.Combine(b.Directory, "sql", "two.sql"), 1, 1), "exactly one statement"));
        yield return Case("transform sql not reading cleaned", new("CDP0101", b => WithFile(b, "sql/other.sql", "SELECT * FROM retail_src.pos_members\n").WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "TransformSql=sql/other.sql"),
            b => new SourceLocation(Path.Combine(b.Directory, "sql", "other.sql"), 1, 1), "FROM cleaned"));
        yield return Case("hive project without the hive transform", new("CDP0106", b => WithFile(b, "sql/members.sql", "SELECT * FROM cleaned\n").Property("CdpSqlEngine", "hive").WithoutItems("CdpStaging")
            .Item("CdpStaging", "pos_members", "TransformSql=sql/members.sql"), Item("CdpStaging", "pos_members"), "TransformHiveSql=\"sql/members.hive.sql\""));
        yield return Case("hive project without the presto transform", new("CDP0106", b => WithFile(b, "sql/members.hive.sql", "SELECT * FROM cleaned\n").Property("CdpSqlEngine", "hive").WithoutItems("CdpStaging")
            .Item("CdpStaging", "pos_members", "TransformHiveSql=sql/members.hive.sql"), Item("CdpStaging", "pos_members"), "TransformSql=\"sql/members.sql\""));
        yield return Case("hive transform missing", new("CDP0107", b => WithFile(b, "sql/members.sql", "SELECT * FROM cleaned\n").Property("CdpSqlEngine", "hive").WithoutItems("CdpStaging")
            .Item("CdpStaging", "pos_members", "TransformSql=sql/members.sql", "TransformHiveSql=sql/members_hive.sql"), Item("CdpStaging", "pos_members"), "sql/members_hive.sql"));
        yield return Case("hive transform of two statements", new("CDP0108", b => WithFile(WithFile(b, "sql/members.sql", "SELECT * FROM cleaned\n"), "sql/members.hive.sql", "SELECT * FROM cleaned;\nDROP TABLE x;\n")
            .Property("CdpSqlEngine", "hive").WithoutItems("CdpStaging").Item("CdpStaging", "pos_members", "TransformSql=sql/members.sql", "TransformHiveSql=sql/members.hive.sql"),
            b => new SourceLocation(Path.Combine(b.Directory, "sql", "members.hive.sql"), 1, 1), "exactly one statement"));
        yield return Case("schedule not a schedule", new("CDP0102", b => b.Property("CdpStagingSchedule", "every morning"), Property("CdpStagingSchedule"), "cron"));
        yield return Case("daily schedule at an impossible time", new("CDP0102", b => b.Property("CdpIngestionSchedule", "daily 25:00"), Property("CdpIngestionSchedule")));
        yield return Case("cron schedule Digdag runs otherwise than it reads", new("CDP0140", b => b.Property("CdpStagingSchedule", "*/90 * * * *"), Property("CdpStagingSchedule"), "first"));
        yield return Case("plan format not text or json", new("CDP0180", b => b.Property("CdpPlanFormat", "yaml"), Property("CdpPlanFormat"), "'yaml'"));
        yield return Case("plan goal not a step", new("CDP0181", b => b.Property("CdpPlanGoal", "Pipeline"), Property("CdpPlanGoal"), "Generate, Deploy"));
        yield return Case("test of a table no transform writes", new("CDP0300", b => b.Item("CdpTest", "t", "Table=pos_member", "Given=member_id\nM1", "Expect=member_id\nM1"), Item("CdpTest", "t"), "pos_members"));
        yield return Case("test of ingestion", new("CDP0300", b => b.Item("CdpTest", "t", "Phase=Ingestion", "Table=pos_members", "Given=member_id\nM1", "Expect=member_id\nM1"), Item("CdpTest", "t"), "HistUnion"));
        yield return Case("test without expected rows", new("CDP0301", b => b.Item("CdpTest", "t", "Table=pos_members", "Given=member_id\nM1"), Item("CdpTest", "t"), "Expect"));
        yield return Case("test data file missing", new("CDP0302", b => b.Item("CdpTest", "t", "Table=pos_members", "Given=tests/members.csv", "Expect=member_id\nM1"), Item("CdpTest", "t"), "tests/members.csv"));
        yield return Case("given column not in the source table", new("CDP0303", b => WithFile(b, "tests/members.yml", "- member_id: M1\n  emial: a@x.com\n").Item("CdpTest", "t", "Table=pos_members", "Given=tests/members.yml", "Expect=member_id\nM1"),
            b => new SourceLocation(Path.Combine(b.Directory, "tests", "members.yml"), 2, 1), "emial"));
        yield return Case("test row of the wrong width", new("CDP0304", b => WithFile(b, "tests/members.csv", "member_id,email\nM1,a@x.com\nM2\n").Item("CdpTest", "t", "Table=pos_members", "Given=tests/members.csv", "Expect=member_id\nM1"),
            b => new SourceLocation(Path.Combine(b.Directory, "tests", "members.csv"), 3, 1), "1 value(s), the header 2"));
        yield return Case("expected column the transform does not produce", new("CDP0305", b => WithFile(b, "tests/expected.csv", "member_id,cleaned_mail\nM1,a@x.com\n").Item("CdpTest", "t", "Table=pos_members", "Given=member_id\nM1", "Expect=tests/expected.csv"),
            b => new SourceLocation(Path.Combine(b.Directory, "tests", "expected.csv"), 1, 1), "cleaned_mail"));
        yield return Case("test name not a name", new("CDP0306", b => b.Item("CdpTest", "my test", "Table=pos_members", "Given=member_id\nM1", "Expect=member_id\nM1"), Item("CdpTest", "my test")));
        yield return Case("check sql file missing", new("CDP0310", b => b.Item("CdpCheck", "c", "Phase=Staging", "Sql=checks/none.sql"), Item("CdpCheck", "c"), "checks/none.sql"));
        yield return Case("check sql of two statements", new("CDP0311", b => WithFile(b, "checks/two.sql", "-- bad rows\nSELECT * FROM retail_stg.pos_members;\nDELETE FROM retail_stg.pos_members\n").Item("CdpCheck", "c", "Phase=Staging", "Sql=checks/two.sql"),
            b => new SourceLocation(Path.Combine(b.Directory, "checks", "two.sql"), 3, 1), "more than one statement"));
        yield return Case("check sql without a select", new("CDP0312", b => WithFile(b, "checks/delete.sql", "\n-- not a query\nDELETE FROM retail_stg.pos_members\n").Item("CdpCheck", "c", "Phase=Staging", "Sql=checks/delete.sql"),
            b => new SourceLocation(Path.Combine(b.Directory, "checks", "delete.sql"), 3, 1), "'DELETE'"));
        yield return Case("check with a rule and a query", new("CDP0313", b => WithFile(b, "checks/one.sql", "SELECT 1\n").Item("CdpCheck", "c", "Phase=Staging", "Rule=unique", "Sql=checks/one.sql"), Item("CdpCheck", "c")));
        yield return Case("run tests not a boolean", new("CDP0320", b => b.Property("CdpRunTests", "sometimes"), Property("CdpRunTests")));
        yield return Case("unify.yml missing", new("CDP0080", b => b.WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=config/unify.yml"), Item("CdpUnification", "customer_360")));
    }

    /// <summary>The retail project's staging items, pos_members with the given transform metadata.</summary>
    static ProjectBuilder WithStagingTransform(ProjectBuilder b, params string[] transform) => b.WithoutItems("CdpStaging")
        .Item("CdpStaging", "shopify_customers", "EmailColumns=email", "PhoneColumns=phone", "TimestampColumns=created_at,updated_at")
        .Item("CdpStaging", "shopify_orders", "EmailColumns=customer_email")
        .Item("CdpStaging", "pos_members", ["EmailColumns=email", "PhoneColumns=mobile", .. transform])
        .Item("CdpStaging", "web_signups", "EmailColumns=email");

    static ProjectBuilder WithFile(ProjectBuilder b, string relative, string content)
    {
        var path = Path.Combine(b.Directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return b;
    }

    [TestCaseSource(nameof(Mistakes))]
    public void MistakeIsReportedWithItsCodeWhereItWasWritten(Mistake mistake)
    {
        var builder = mistake.Make(folder.Retail());
        var result = builder.Read(mistake.Key(folder));
        var found = result.Diagnostics.Where(d => d.Code == mistake.Code).ToList();

        Assert.That(found, Is.Not.Empty, () => $"expected {mistake.Code}, got:\n" + string.Join("\n", result.Diagnostics));
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Spec, Is.Null);
            Assert.That(found.Select(d => d.Location), Has.Member(mistake.At(builder)));
            Assert.That(found.Select(d => d.Severity), Has.All.EqualTo(DiagnosticSeverity.Error));
            if (mistake.MessagePart.Length > 0) Assert.That(found.Select(d => d.Message), Has.Some.Contains(mistake.MessagePart));
        });
    }

    [Test]
    public void AHiveTransformInAPrestoProjectIsAWarningAndNotKept()
    {
        folder.Write("sql/members.sql", "SELECT * FROM cleaned\n");
        folder.Write("sql/members.hive.sql", "SELECT * FROM cleaned\n");
        var builder = WithStagingTransform(folder.Retail(), "TransformSql=sql/members.sql", "TransformHiveSql=sql/members.hive.sql");
        var result = builder.Read();
        var warning = result.Diagnostics.Single(d => d.Code == "CDP0109");
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
            Assert.That((warning.Severity, warning.Location), Is.EqualTo((DiagnosticSeverity.Warning, builder.ItemAt("CdpStaging", "pos_members"))));
            Assert.That(warning.Message, Does.Contain("TransformSql 'sql/members.sql'").And.Contain("CdpSqlEngine"));
            Assert.That(result.Spec!.Staging.Single(s => s.Output == "pos_members").TransformHiveSql, Is.Empty, "nothing reads it, so nothing hashes it");
        });
    }

    [Test]
    public void AHiveProjectKeepsBothTransformFilesOnEveryTarget()
    {
        folder.Write("sql/members.sql", "SELECT * FROM cleaned\n");
        folder.Write("sql/members.hive.sql", "SELECT `email` FROM cleaned\n");
        var result = WithStagingTransform(folder.Retail().Property("CdpSqlEngine", "hive"), "TransformSql=sql/members.sql", "TransformHiveSql=sql/members.hive.sql").Read();
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        var members = result.Spec!.Staging.Single(s => s.Output == "pos_members");
        Assert.That((members.TransformSql, members.TransformHiveSql), Is.EqualTo(("sql/members.sql", "sql/members.hive.sql")));
    }

    [Test]
    public void InvalidUnifyYmlIsReportedAtTheYamlLine()
    {
        var yml = folder.Write("unify.yml", "name: customer_360\nkeys:\n  - name: email\n   bad: [\n");
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml").Read();
        var error = result.Diagnostics.Single(d => d.Code == "CDP0081");
        Assert.That(error.Location.File, Is.EqualTo(yml));
        Assert.That(error.Location.Line, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void UnificationItemsBesideAnExistingUnifyYmlAreReportedAsIgnored()
    {
        folder.Write("unify.yml", "name: customer_360\nkeys:\n  - name: email\ntables:\n  - database: retail_stg\n    table: pos_members\n    key_columns:\n      - {column: cleaned_email, key: email}\npersistent_ids:\n  - name: td_id\n    merge_by_keys: [email]\n");
        var builder = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml")
            .Item("CdpUnificationKey", "email").Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email");
        var result = builder.Read();
        var ignored = result.Diagnostics.Where(d => d.Code == "CDP0079").ToList();
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        Assert.That(ignored.Select(d => (d.Severity, d.Location)), Is.EquivalentTo(new[]
        {
            (DiagnosticSeverity.Warning, builder.ItemAt("CdpUnificationKey", "email")),
            (DiagnosticSeverity.Warning, builder.ItemAt("CdpUnificationTable", "pos_members")),
        }));
        Assert.That(ignored[0].Message, Does.Contain("unify.yml"));
    }

    [Test]
    public void UnifyYmlThatTdWouldRejectIsReportedInTheYamlFile()
    {
        var yml = folder.Write("unify.yml", "name: customer_360\ntables:\n  - database: retail_stg\n    table: pos_members\n    key_columns:\n      - {column: cleaned_email, key: email}\n");
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml").Read();
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors.Where(e => e.Code == "CDP0110").Select(e => e.Message), Has.Some.Contains("has no keys"));
            Assert.That(errors.Where(e => e.Code == "CDP0115").Select(e => e.Message), Has.Some.Contains("'email', which is not declared"));
            Assert.That(errors.Where(e => e.Code == "CDP0113").Select(e => e.Message), Has.Some.Contains("neither canonical_ids nor persistent_ids"));
            Assert.That(errors.Select(e => e.Location.File), Has.All.EqualTo(yml));
        });
    }

    [Test]
    public void ATreasureDataProjectReadsWithoutAnApiKeyBecauseGenerationIsOffline()
    {
        var builder = folder.Retail().Property("CdpTarget", "TreasureData");
        var result = builder.Read();

        Assert.That(result.Spec, Is.Not.Null, () => string.Join("\n", result.Diagnostics));
        Assert.That(result.Spec!.Settings.Target, Is.EqualTo(Model.TargetKind.TreasureData));
        Assert.That(result.Diagnostics.Select(d => d.Code), Has.None.EqualTo("CDP0020"));
    }

    [Test]
    public void EveryConfigurationCodeHasACase()
    {
        var dir = RepoPaths.Of("src/CdpSdk.Core/Configuration");
        var used = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "\"(CDP[0-9]{4})\"").Select(m => m.Groups[1].Value))
            .ToHashSet();
        var tested = Mistakes().Select(c => ((Mistake)c.Arguments[0]!).Code).Append("CDP0079").Append("CDP0081").Append("CDP0082").Append("CDP0109")
            .Concat(UnifyYmlRulesTests.Codes).Concat(TdValidatorAgreementTests.Codes).Append("CDP0122").ToHashSet();
        Assert.That(used.Except(tested).Order(), Is.Empty, "configuration codes without a test");
    }

    [Test]
    public void SeveralMistakesAreAllReportedInOneRead()
    {
        var result = folder.Retail().Property("CdpTarget", "Cloud").Property("CdpMode", "Auto").Item("CdpSource", "pos").Read();
        Assert.That(result.Diagnostics.Select(d => d.Code), Is.SupersetOf(new[] { "CDP0012", "CDP0016", "CDP0032" }));
    }

    [Test]
    public void DiagnosticsCarryAHelpLinkToTheirSection()
    {
        var error = folder.Retail().Property("CdpTarget", "Cloud").Read().Diagnostics.Single();
        Assert.That(error.HelpLink, Does.EndWith("docs/errors.md#cdp0012"));
    }
}
