using System.Globalization;
using Bogus;

namespace CdpSdk.SampleData;

/// <summary>One data file: its path under the sample, header and rows; and which person each row belongs to.</summary>
internal sealed record DataFile(string Path, string[] Header, List<string[]> Rows);

/// <summary>A record of the truth file: the staging table it ends up in, its key, and the person it really is.</summary>
internal sealed record Truth(string Table, string RecordId, int PersonId);

/// <summary>
/// The retail sample: Shopify customers and orders (history and increments), POS members and web sign-ups
/// for one set of people who overlap across the sources. Everything comes from one seeded Faker, so the same
/// seed always writes the same files.
/// </summary>
internal sealed class RetailData
{
    public const int Seed = 20240501;
    const int People = 120;
    static readonly DateTime Epoch = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    readonly Randomizer _random;
    readonly Faker _faker;
    readonly Noise _noise;
    public List<Person> Persons { get; } = [];
    public List<DataFile> Files { get; } = [];
    public List<Truth> Truths { get; } = [];
    readonly HashSet<int> _shopifyCustomers = [];
    int _phoneOnlyPerson = -1;

    public RetailData(int seed = Seed)
    {
        Randomizer.Seed = new Random(seed);
        _random = new Randomizer(seed);
        _faker = new Faker("en") { Random = _random };
        _noise = new Noise(_random);
        for (var i = 1; i <= People; i++)
        {
            var (first, last) = (_faker.Name.FirstName(), _faker.Name.LastName());
            var local = $"{Clean(first)}.{Clean(last)}{i}";
            Persons.Add(new Person(i, first, last, $"{local}@{_faker.PickRandom("example.org", "example.net", "mail.example.com")}",
                _random.Bool(0.3f) ? $"{Clean(first)[0]}{Clean(last)}{i}@work.example.com" : null,
                $"555{i:D3}{_random.Number(1000, 9999)}", "c" + _random.Number(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + i.ToString("D3", CultureInfo.InvariantCulture)));
        }
        Shopify();
        Pos();
        Web();
    }

    public const string PhoneOnlyCustomer = "1029";

    string Noisy(string email) => email.Length == 0 ? "" : _noise.Email(email);

    static string Clean(string name) => new(name.ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());

    static string Time(DateTime t, bool iso = false) => t.ToString(iso ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    DateTime Between(DateTime from, DateTime to) => from.AddMinutes(_random.Number(0, (int)(to - from).TotalMinutes));

    void Shopify()
    {
        string[] customerHeader = ["id", "email", "phone", "first_name", "last_name", "created_at", "updated_at"];
        var history = new DataFile("data/shopify/customers_history.csv", customerHeader, []);
        var increment = new DataFile("data/shopify/customers.csv", customerHeader, []);
        string[] orderHeader = ["id", "customer_email", "amount", "ordered_at", "updated_at"];
        var orderHistory = new DataFile("data/shopify/orders_history.csv", orderHeader, []);
        var orders = new DataFile("data/shopify/orders.csv", orderHeader, []);
        var customers = Persons.Where(_ => _random.Bool(0.7f)).ToList();
        _shopifyCustomers.UnionWith(customers.Select(p => p.Id));
        var orderId = 5000;
        foreach (var (p, n) in customers.Select((p, n) => (p, n)))
        {
            var id = (1001 + n).ToString(CultureInfo.InvariantCulture);
            // One customer signed up with a phone only: the data-quality demo of the sample (a not_null check
            // on the cleaned email names customer 1029); the phone still gives them an id.
            var email = id == PhoneOnlyCustomer ? "" : p.Email;
            if (email.Length == 0) _phoneOnlyPerson = p.Id;
            var created = Between(Epoch, new DateTime(2023, 12, 1));
            // Most customers were backfilled; the newest signed up after the backfill and arrive as increments only.
            var backfilled = n < customers.Count * 0.85;
            var updated = Between(created, new DateTime(2023, 12, 31));
            if (backfilled)
                history.Rows.Add([id, Noisy(email), _noise.Phone(p.Phone), p.FirstName, p.LastName, Time(created, iso: true), Time(updated)]);
            if (!backfilled || _random.Bool(0.25f))
                increment.Rows.Add([id, Noisy(email), _noise.Phone(p.Phone), p.FirstName, _random.Bool(0.5f) ? p.LastName : p.LastName + "-" + _faker.Name.LastName(),
                    Time(created, iso: true), Time(Between(new DateTime(2024, 1, 2), new DateTime(2024, 4, 28)))]);
            Truths.Add(new Truth("shopify_customers", id, p.Id));

            // Orders are matched by email, so the phone-only customer has none.
            for (var k = email.Length == 0 ? 0 : _random.Number(0, 3); k > 0; k--)
            {
                var oid = (++orderId).ToString(CultureInfo.InvariantCulture);
                var ordered = Between(created, new DateTime(2024, 4, 28));
                var amount = _random.Decimal(5, 400);
                var row = new[] { oid, Noisy(email), amount.ToString("0.00", CultureInfo.InvariantCulture), Time(ordered, iso: true), Time(ordered) };
                (ordered < new DateTime(2024, 1, 1) ? orderHistory : orders).Rows.Add(row);
                // A few old orders were refunded in part after the backfill: the increment has their new amount.
                if (ordered < new DateTime(2024, 1, 1) && _random.Bool(0.1f))
                    orders.Rows.Add([oid, row[1], (amount / 2).ToString("0.00", CultureInfo.InvariantCulture), row[3], Time(Between(new DateTime(2024, 1, 2), new DateTime(2024, 4, 28)))]);
                Truths.Add(new Truth("shopify_orders", oid, p.Id));
            }
        }
        Files.AddRange([history, increment, orderHistory, orders]);
    }

    void Pos()
    {
        var members = new DataFile("data/pos/members.csv", ["member_id", "email", "mobile", "name", "updated_at"], []);
        var n = 0;
        foreach (var p in Persons.Where(_ => _random.Bool(0.55f)))
        {
            var id = $"M{2001 + n++}";
            // At the till people give the phone and, often, a work email or none: the phone joins them to their web
            // shop account. Without one, the main email is what joins them to their web sign-ups.
            var shopper = _shopifyCustomers.Contains(p.Id);
            var email = shopper && p.WorkEmail is not null && _random.Bool(0.6f) ? p.WorkEmail : p.Email;
            members.Rows.Add([id, !shopper || _random.Bool(0.97f) ? _noise.Email(email) : "", _noise.Phone(p.Phone), $"{p.FirstName} {p.LastName}",
                Time(Between(new DateTime(2024, 1, 1), new DateTime(2024, 4, 28)))]);
            Truths.Add(new Truth("pos_members", id, p.Id));
        }
        Files.Add(members);
    }

    void Web()
    {
        var signups = new DataFile("data/web/signups.csv", ["event_id", "email", "td_client_id", "event_time"], []);
        var n = 0;
        // The phone-only customer signs up nowhere with an email: nothing could tie that to their phone.
        foreach (var p in Persons.Where(p => _random.Bool(0.6f) && p.Id != _phoneOnlyPerson))
            for (var k = _random.Number(1, 3); k > 0; k--)
            {
                var id = $"E{9001 + n++}";
                // The first sign-up of a person gives their main email; later ones from the same browser (cookie)
                // may give a work email or a throwaway test address that must not merge anyone.
                var email = k == 1 ? p.Email : _faker.PickRandom(p.WorkEmail ?? p.Email, p.Email, "test@example.com", "");
                signups.Rows.Add([id, email.Length == 0 ? "" : _noise.Email(email), p.Cookie, Time(Between(new DateTime(2024, 1, 1), new DateTime(2024, 4, 28)), iso: true)]);
                Truths.Add(new Truth("web_signups", id, p.Id));
            }
        Files.Add(signups);
    }
}
