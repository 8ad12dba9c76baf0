using System.Globalization;
using System.Text;
using CdpSdk.SampleData;

// Writes the retail sample's data files and its truth file (who each record really is) under the given
// sample folder. Deterministic: the same seed writes byte-identical files.
//   dotnet run --project tools/CdpSdk.SampleData -- samples/retail [seed]
if (args.Length is 0 or > 2)
{
    Console.Error.WriteLine("usage: CdpSdk.SampleData <sample folder> [seed]");
    return 2;
}
var root = Path.GetFullPath(args[0]);
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : RetailData.Seed;
var data = new RetailData(seed);

foreach (var file in data.Files)
{
    var path = Path.Combine(root, file.Path);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, Csv([file.Header, .. file.Rows]), new UTF8Encoding(false));
    Console.WriteLine($"{file.Path}: {file.Rows.Count} rows");
}
// Outside data/: the pipeline never ingests the answer it is measured against.
var truth = Path.Combine(root, "truth", "persons.csv");
Directory.CreateDirectory(Path.GetDirectoryName(truth)!);
File.WriteAllText(truth, Csv([["table", "record_id", "person_id"], .. data.Truths.Select(t => new[] { t.Table, t.RecordId, t.PersonId.ToString(CultureInfo.InvariantCulture) })]), new UTF8Encoding(false));
Console.WriteLine($"truth/persons.csv: {data.Truths.Count} records of {data.Truths.Select(t => t.PersonId).Distinct().Count()} people");
return 0;

// Fields are quoted only when they must be; stray spaces stay, as the sources wrote them.
static string Csv(IEnumerable<string[]> rows) =>
    string.Concat(rows.Select(r => string.Join(',', r.Select(f => f.Contains(',') || f.Contains('"') ? "\"" + f.Replace("\"", "\"\"") + "\"" : f)) + "\n"));
