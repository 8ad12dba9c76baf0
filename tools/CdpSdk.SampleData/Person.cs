namespace CdpSdk.SampleData;

/// <summary>
/// One real customer: the keys every source may know them by. Emails, phones and cookies are unique per
/// person, so sharing one (after cleaning) means the same person — the deterministic keys of the sample.
/// </summary>
internal sealed record Person(int Id, string FirstName, string LastName, string Email, string? WorkEmail, string Phone, string Cookie);
