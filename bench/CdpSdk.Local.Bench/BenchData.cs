using System.Globalization;
using System.Text;

namespace CdpSdk.Local.Bench;

/// <summary>
/// The benchmark's input: rows of people events with three keys (email, phone, cookie) for rows/3 people,
/// each key present with some probability, so records join through different keys. Fixed seed.
/// </summary>
internal static class BenchData
{
    public static long WriteCsv(string path, int rows)
    {
        var random = new Random(42);
        var people = Math.Max(1, rows / 3);
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write("id,email,phone,cookie,name,amount,updated_at\n");
            for (var i = 0; i < rows; i++)
            {
                var p = random.Next(people);
                var (hasEmail, hasPhone, hasCookie) = (random.NextDouble() < 0.8, random.NextDouble() < 0.6, random.NextDouble() < 0.7);
                if (!hasEmail && !hasPhone && !hasCookie) hasEmail = true;
                writer.Write(i.ToString(CultureInfo.InvariantCulture));
                writer.Write(hasEmail ? $",user{p}@example.com" : ",");
                writer.Write(hasPhone ? $",5{p:D9}" : ",");
                // A person uses up to three browsers: cookies join only through the other keys.
                writer.Write(hasCookie ? $",c{p}x{random.Next(3)}" : ",");
                writer.Write($",Person {p},{random.Next(1, 50000) / 100.0:0.00},2024-0{1 + i % 9}-{1 + i % 28:00} 12:00:00\n");
            }
        }
        return new FileInfo(path).Length;
    }

    public const string IngestWorkflow = """
        +create:
          td_ddl>:
          create_databases: [bench]
        +load:
          td_load>: config/people_load.yml
          database: bench
          table: people
        """;

    public static string LoadConfig(string csv) => $"""
        in:
          type: file
          path_prefix: '{csv}'
          parser:
            type: csv
        out:
          mode: replace
        """;

    public const string UnifyWorkflow = """
        +unify:
          http_call>: https://api-cdp.treasuredata.com/unifications/workflow_call
          method: POST
          content_format: json
          content:
            full_refresh: true
            unification:
              !include : unify.yml
        """;

    public const string UnifyYml = """
        name: bench
        keys:
          - {name: email, valid_regexp: '.*@.*'}
          - {name: phone}
          - {name: cookie}
        tables:
          - database: bench
            table: people
            key_columns: [{column: email, key: email}, {column: phone, key: phone}, {column: cookie, key: cookie}]
        persistent_ids:
          - {name: pid, merge_by_keys: [email, phone, cookie], merge_iterations: 10}
        """;
}
