using Bogus;

namespace CdpSdk.SampleData;

/// <summary>
/// How people and systems write the same key differently: case and stray spaces in emails, punctuation in
/// phone numbers. Staging undoes all of it (trim + lower-case, digits only), so the noise never changes identity.
/// </summary>
internal sealed class Noise(Randomizer random)
{
    public string Email(string email) => random.Number(0, 5) switch
    {
        0 => email.ToUpperInvariant(),
        1 => char.ToUpperInvariant(email[0]) + email[1..],
        2 => " " + email,
        3 => email + " ",
        _ => email,
    };

    /// <summary>A 10-digit phone in one of the formats a form or a till accepts.</summary>
    public string Phone(string digits) => random.Number(0, 4) switch
    {
        0 => $"({digits[..3]}) {digits[3..6]}-{digits[6..]}",
        1 => $"{digits[..3]}-{digits[3..6]}-{digits[6..]}",
        2 => $"{digits[..3]}.{digits[3..6]}.{digits[6..]}",
        3 => $"{digits[..3]} {digits[3..6]} {digits[6..]}",
        _ => digits,
    };
}
