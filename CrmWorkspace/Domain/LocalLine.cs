using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmWorkspace.Domain;

/// <summary>
/// A timeline line the software writes on someone's behalf ("Tier pinned to A: …", "Opportunity X moved: 2 → 3"), kept as its
/// resource family, template and arguments in the entry's <see cref="Activity.Data"/> (property "Line"), so each reader sees it in
/// their own language. The entry's Subject keeps the writer's rendering, for search and for readers of older entries.
/// </summary>
/// <param name="Family">The resource family's class name (AdvertisingText, TeamsText...).</param>
/// <param name="Key">The template, a key of that family with {0}, {1:d}, {2:N0} placeholders.</param>
public sealed record LocalLine(string Family, string Key, IReadOnlyList<LineArg> Args)
{
    private const string Property = "Line";

    // Compact and readable in the database: no empty argument kinds, Chinese as it is (Data is never written into HTML unencoded).
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A line of the family <typeparamref name="TFamily"/>: strings stay as written, dates and numbers are formatted for
    /// the reader, a <see cref="LineArg"/> passes as it is (a nested key, a pipeline step).</summary>
    public static LocalLine Of<TFamily>(string key, params object?[] args) => new(typeof(TFamily).Name, key, args.Select(LineArg.From).ToList());

    /// <summary>The entry's Data: this line alone, or added to the entry's own detail (an object; a list becomes "Changes").</summary>
    public string Json(object? detail = null)
    {
        var node = detail switch
        {
            null => new JsonObject(),
            System.Collections.IEnumerable list when detail is not string => new JsonObject { ["Changes"] = JsonSerializer.SerializeToNode(list, Options) },
            _ => JsonSerializer.SerializeToNode(detail, Options) as JsonObject ?? throw new ArgumentException("The detail must serialise to an object.", nameof(detail)),
        };
        node[Property] = JsonSerializer.SerializeToNode(this, Options);
        return node.ToJsonString(Options);
    }

    /// <summary>The line an entry's Data carries, or null (older entries, entries written by people).</summary>
    public static LocalLine? From(string? data)
    {
        if (data is null || !data.Contains("\"" + Property + "\"", StringComparison.Ordinal)) return null;
        try
        {
            return JsonNode.Parse(data) is JsonObject o && o[Property] is JsonObject line ? line.Deserialize<LocalLine>(Options) : null;
        }
        catch (JsonException) { return null; }
    }
}

/// <summary>One argument of a <see cref="LocalLine"/>: exactly one of text (as written), key (of the line's family, translated),
/// date, number, or pipeline step (drawn by the seed's own name).</summary>
public sealed record LineArg(string? Text = null, string? Key = null, DateOnly? Date = null, decimal? Number = null, int? Step = null)
{
    public static LineArg Translated(string key) => new(Key: key);

    public static LineArg From(object? value) => value switch
    {
        LineArg a => a,
        null => new LineArg(Text: ""),
        string s => new LineArg(Text: s),
        DateOnly d => new LineArg(Date: d),
        DateTime d => new LineArg(Date: DateOnly.FromDateTime(d)),
        decimal n => new LineArg(Number: n),
        int n => new LineArg(Number: n),
        long n => new LineArg(Number: n),
        double n => new LineArg(Number: (decimal)n),
        _ => new LineArg(Text: value.ToString()),
    };
}
