namespace CdpSdk.TreasureData;

/// <summary>Likely causes of a failed TD task, from the words of its error, so the build says what to check first.</summary>
public static class FailureHints
{
    static readonly (string[] Words, string Hint)[] Rules =
    [
        (["database", "not found"], "a database the task uses does not exist: run the upstream phase first, or set CdpCreateMissingDatabases=true"),
        (["table", "not found"], "a table the query reads does not exist: check the upstream phase validated and the table names in the .cdpproj"),
        (["column", "cannot be resolved"], "a column named in the .cdpproj (EmailColumns, KeyColumns, PrimaryKey, IncrementalField) is not in the table"),
        (["secret"], "a project secret is missing: set CDP_SECRET_<KEY> or add it to CdpSecretsFile and deploy again"),
        (["401"], "the API key the workflow uses (secret td.apikey) was refused: deploy again with a valid TD_API_KEY"),
        (["403"], "the account may not use this database or API: check the key's permissions"),
        (["exceeded"], "a TD limit was reached (memory, time or result size): reduce the data per run or the query's work"),
        (["timeout"], "a step timed out on TD: rerun, and check the size of the input"),
    ];

    public static string? For(string? error)
    {
        if (string.IsNullOrEmpty(error)) return null;
        var hints = Rules.Where(r => r.Words.All(w => error.Contains(w, StringComparison.OrdinalIgnoreCase))).Select(r => r.Hint).ToList();
        return hints.Count == 0 ? null : "Likely cause: " + string.Join("; or ", hints) + ".";
    }
}
