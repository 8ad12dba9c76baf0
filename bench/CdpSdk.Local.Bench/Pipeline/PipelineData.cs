using System.Globalization;
using System.Text;

namespace CdpSdk.Local.Bench.Pipeline;

/// <summary>
/// The pipeline benchmark's input: three sources over rows/5 people, deterministic from a seed.
/// shop customers and orders come as a history file plus an incremental file (hist-union has versions to
/// drop), web events incremental only. Keys carry the noise real exports have: emails in other cases, with
/// stray spaces, or without the dot (a different key value after cleaning), phones in six formats (one,
/// +1 …, a different value), missing and invalid values; people share emails and phones across the sources
/// and browse with one to three cookies, so clusters span all three.
/// </summary>
internal sealed class PipelineData(int rows, int seed)
{
    public const string Customers = "customers", Orders = "orders", Events = "web_events";
    static readonly string[] FirstNames = ["james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david", "elizabeth",
        "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "chris", "karen", "daniel", "lisa", "matthew", "nancy",
        "anthony", "betty", "mark", "sandra", "paul", "ashley", "steven", "emily", "andrew", "donna", "kenneth", "michelle", "joshua", "carol"];
    static readonly string[] LastNames = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
        "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott"];
    static readonly string[] Domains = ["example.com", "mail.example.com", "example.org", "work.example.net", "inbox.example.io"];
    static readonly string[] InvalidEmails = ["test@example.com", "none@none.com", "n/a", "unknown", "-"];
    static readonly string[] InvalidPhones = ["0000000000", "123", "n/a", "555"];

    readonly Random random = new(seed);
    readonly int people = Math.Max(10, rows / 5);

    /// <summary>Writes the five CSV files under <paramref name="dir"/>; returns their total size in bytes and row count.</summary>
    public (long Bytes, long Rows) Write(string dir)
    {
        Directory.CreateDirectory(dir);
        long count = 0;
        // Shares of the rows: customers 12% history + 12% incremental, orders 18% + 18%, web events 40%.
        var customerHistory = Share(0.12);
        count += WriteFile(Path.Combine(dir, "customers_history.csv"), "id,email,phone,first_name,last_name,created_at,updated_at", customerHistory,
            (w, i) => Customer(w, i % people, 2023));
        // The incremental export re-states some customers (a later version wins in hist-union) and adds new ones.
        count += WriteFile(Path.Combine(dir, "customers.csv"), "id,email,phone,first_name,last_name,created_at,updated_at", Share(0.12),
            (w, i) => Customer(w, random.NextDouble() < 0.3 ? random.Next(Math.Min(customerHistory, people)) : (customerHistory + i) % people, 2024));
        var orderHistory = Share(0.18);
        count += WriteFile(Path.Combine(dir, "orders_history.csv"), "id,customer_email,phone,amount,ordered_at,updated_at", orderHistory,
            (w, i) => Order(w, i, 2023));
        count += WriteFile(Path.Combine(dir, "orders.csv"), "id,customer_email,phone,amount,ordered_at,updated_at", Share(0.18),
            (w, i) => Order(w, random.NextDouble() < 0.1 ? random.Next(orderHistory) : orderHistory + i, 2024));
        count += WriteFile(Path.Combine(dir, "web_events.csv"), "event_id,email,td_client_id,page,event_time", Share(0.40), Event);
        return (Directory.EnumerateFiles(dir, "*.csv").Sum(f => new FileInfo(f).Length), count);
    }

    int Share(double share) => Math.Max(1, (int)(rows * share));

    static long WriteFile(string path, string header, int count, Action<StreamWriter, int> row)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(header);
        writer.Write('\n');
        for (var i = 0; i < count; i++) { row(writer, i); writer.Write('\n'); }
        return count;
    }

    void Customer(StreamWriter w, int person, int year)
    {
        var (first, last) = Name(person);
        w.Write(Invariant($"{100000 + person},{Email(person, 0.06)},{Phone(person, 0.12)},{Capitalize(first)},{Capitalize(last)},"));
        w.Write(Invariant($"{year - 1}-{1 + person % 12:00}-{1 + person % 28:00}T10:00:00Z,{Timestamp(year)}"));
    }

    void Order(StreamWriter w, int id, int year)
    {
        // Most orders name their customer's email, some only a phone; a few are guest orders with neither.
        var person = Person();
        var r = random.NextDouble();
        var email = r < 0.85 ? Email(person, 0.04) : "";
        var phone = r >= 0.80 && r < 0.97 ? Phone(person, 0.1) : "";
        w.Write(Invariant($"{5000000 + id},{email},{phone},{random.Next(100, 50000) / 100.0:0.00},{Timestamp(year)},{Timestamp(year)}"));
    }

    void Event(StreamWriter w, int id)
    {
        // Signed-in events carry an email; most are anonymous, tied to a person only by the cookie; some cookies are never tied.
        var person = Person();
        var email = random.NextDouble() < 0.35 ? Email(person, 0.03) : "";
        var cookie = random.NextDouble() < 0.08 ? $"c9{random.Next(people * 2):D9}" : $"c{person:D9}{random.Next(1 + person % 3)}";
        w.Write(Invariant($"E{id:D10},{email},{cookie},/p/{random.Next(500)},{Timestamp(2024)}"));
    }

    /// <summary>A person drawn with a skew: a fifth of the people make half the activity.</summary>
    int Person() => random.NextDouble() < 0.5 ? random.Next(people / 5) : random.Next(people);

    (string First, string Last) Name(int person) => (FirstNames[person % FirstNames.Length], LastNames[person / FirstNames.Length % LastNames.Length]);

    string Email(int person, double invalidShare)
    {
        var r = random.NextDouble();
        if (r < 0.08) return "";
        if (r < 0.08 + invalidShare) return InvalidEmails[random.Next(InvalidEmails.Length)];
        var (first, last) = Name(person);
        var local = random.NextDouble() < 0.05 ? $"{first}{last}{person}" : $"{first}.{last}{person}";
        var email = $"{local}@{Domains[person % Domains.Length]}";
        return random.Next(10) switch
        {
            0 => email.ToUpperInvariant(),
            1 => Capitalize(email),
            2 => " " + email,
            3 => email + " ",
            _ => email,
        };
    }

    string Phone(int person, double invalidShare)
    {
        var r = random.NextDouble();
        if (r < 0.15) return "";
        if (r < 0.15 + invalidShare) return InvalidPhones[random.Next(InvalidPhones.Length)];
        var digits = $"555{person:D7}";
        var (a, b, c) = (digits[..3], digits[3..6], digits[6..]);
        return random.Next(6) switch
        {
            0 => digits,
            1 => $"{a} {b} {c}",
            2 => $"{a}.{b}.{c}",
            3 => $"\"({a}) {b}-{c}\"",
            4 => $"{a}-{b}-{c}",
            _ => $"+1 {a} {b} {c}",
        };
    }

    string Timestamp(int year) =>
        Invariant($"{year}-{1 + random.Next(12):00}-{1 + random.Next(28):00} {random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}");

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
