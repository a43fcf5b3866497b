using System.Collections.Frozen;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Known short names of customers (中粮 for 中国粮油食品（集团）有限公司, 广药 for 广州医药集团): a name whose whole core is a short name
/// is matched as the full name. The table in force is the administrator's (the CompanyAliases table, seeded from the shipped
/// Data/company-aliases.txt and pushed here by <see cref="AliasService"/> at start and after every change); until then the shipped list.
/// </summary>
public static class CompanyAliases
{
    private const string Resource = "CrmWorkspace.Features.Duplicates.Matching.Data.company-aliases.txt";
    private static readonly Lock Gate = new();
    private static readonly List<(string Alias, string Name)> Shipped = LoadShipped();
    private static List<(string Alias, string Name)> _table = Shipped;
    private static List<(string Alias, string Name)> _custom = [];
    /// <summary>Alias core to the full name, and full-name core to its aliases; replaced whole (never mutated) so readers need no lock.</summary>
    private static volatile Maps _maps = Build(Shipped);

    private sealed record Maps(FrozenDictionary<string, string> ByCore, FrozenDictionary<string, string[]> AliasesByFullCore);

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

    private static Maps Build(IEnumerable<(string Alias, string Name)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var reverse = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (alias, name) in pairs)
        {
            var core = CompanyNameNormalizer.Normalize(alias, useAliases: false).Core;
            var fullCore = CompanyNameNormalizer.Normalize(name, useAliases: false).Core;
            if (core.Length == 0 || core == fullCore) continue;
            map[core] = name;
            if (fullCore.Length > 0) (reverse.TryGetValue(fullCore, out var l) ? l : reverse[fullCore] = []).Add(core);
        }
        return new Maps(map.ToFrozenDictionary(StringComparer.Ordinal),
            reverse.ToFrozenDictionary(p => p.Key, p => p.Value.Distinct().ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The shipped pairs (short name, full name): what the alias table is seeded with.</summary>
    public static IReadOnlyList<(string Alias, string Name)> ShippedPairs => Shipped;

    /// <summary>Replaces the table in force (the administrator's, from the database); the pairs of <see cref="SetCustom"/> stay on top.</summary>
    public static void Replace(IEnumerable<(string Alias, string Name)> table)
    {
        lock (Gate)
        {
            _table = table.ToList();
            _maps = Build(_table.Concat(_custom));
        }
    }

    /// <summary>Extra pairs on top of the table in force (experiments and tests); an empty list removes them.</summary>
    public static void SetCustom(IEnumerable<(string Alias, string Name)> custom)
    {
        lock (Gate)
        {
            _custom = custom.ToList();
            _maps = Build(_table.Concat(_custom));
        }
    }

    /// <summary>The full name a name core stands for, or null.</summary>
    public static string? FullNameOf(string core) => _maps.ByCore.GetValueOrDefault(core);

    /// <summary>The short-name cores known for a full name's core (中国粮油食品 gives 中粮), or none.</summary>
    public static IReadOnlyList<string> AliasesOf(string fullCore) => _maps.AliasesByFullCore.GetValueOrDefault(fullCore) ?? [];
}
