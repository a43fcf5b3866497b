using System.Collections.Frozen;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Known short names of customers (中粮 for 中国粮油食品（集团）有限公司, 广药 for 广州医药集团): a name whose whole core is a short name
/// is matched as the full name. The shipped list (Data/company-aliases.txt) is extended at run time with the administrator's own.
/// </summary>
public static class CompanyAliases
{
    private const string Resource = "CrmWorkspace.Features.Duplicates.Matching.Data.company-aliases.txt";
    private static readonly Lock Gate = new();
    private static readonly List<(string Alias, string Name)> Shipped = LoadShipped();
    /// <summary>Alias core to the full name; replaced whole (never mutated) so readers need no lock.</summary>
    private static volatile FrozenDictionary<string, string> _byCore = Build(Shipped);

    private static List<(string, string)> LoadShipped()
    {
        using var stream = typeof(CompanyAliases).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The alias list {Resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var list = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=');
            if (eq > 0) list.Add((line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return list;
    }

    private static FrozenDictionary<string, string> Build(IEnumerable<(string Alias, string Name)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, name) in pairs)
        {
            var core = CompanyNameNormalizer.Normalize(alias, useAliases: false).Core;
            if (core.Length > 0 && core != CompanyNameNormalizer.Normalize(name, useAliases: false).Core) map[core] = name;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The shipped pairs (short name, full name).</summary>
    public static IReadOnlyList<(string Alias, string Name)> ShippedPairs => Shipped;

    /// <summary>Replaces the administrator's pairs (the shipped ones stay).</summary>
    public static void SetCustom(IEnumerable<(string Alias, string Name)> custom)
    {
        lock (Gate) _byCore = Build(Shipped.Concat(custom));
    }

    /// <summary>The full name a name core stands for, or null.</summary>
    public static string? FullNameOf(string core) => _byCore.GetValueOrDefault(core);
}
