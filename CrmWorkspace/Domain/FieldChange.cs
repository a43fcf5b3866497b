using System.Text.Json;

namespace CrmWorkspace.Domain;

/// <summary>One field's value before and after a change, as kept on the timeline (field history).</summary>
public record FieldChange(string Field, string? Before, string? After)
{
    public static string Json(IEnumerable<FieldChange> changes) => JsonSerializer.Serialize(changes);

    public static IReadOnlyList<FieldChange> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            // A list, or an object whose "Changes" are the list (an entry that also carries a LocalLine).
            if (json.TrimStart().StartsWith('{'))
                return System.Text.Json.Nodes.JsonNode.Parse(json)?["Changes"]?.Deserialize<List<FieldChange>>() ?? [];
            return JsonSerializer.Deserialize<List<FieldChange>>(json) ?? [];
        }
        catch (JsonException) { return []; }
    }
}
