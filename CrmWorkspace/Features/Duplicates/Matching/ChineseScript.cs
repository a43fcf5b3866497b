using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Traditional and simplified Chinese characters: folds traditional to simplified (瀘州老窖 to 泸州老窖, 陳建華 to 陈建华) and
/// spells a search term in every mix of the two, from OpenCC's character table shipped in Data/ts-characters.txt (Apache-2.0, see Data/NOTICE.md).
/// </summary>
public static class ChineseScript
{
    private const string Resource = "CrmWorkspace.Features.Duplicates.Matching.Data.ts-characters.txt";

    /// <summary>Traditional character to its simplified form, '\0' where the character has none: one array read per character.</summary>
    private static readonly char[] ToSimple = new char[char.MaxValue + 1];
    /// <summary>Simplified character to the traditional characters that fold to it.</summary>
    private static readonly Dictionary<char, char[]> ToTraditional = [];

    static ChineseScript()
    {
        using var stream = typeof(ChineseScript).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The character table {Resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var reverse = new Dictionary<char, List<char>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            for (var i = 0; i + 1 < line.Length; i += 2)
            {
                ToSimple[line[i]] = line[i + 1];
                if (!reverse.TryGetValue(line[i + 1], out var list)) reverse[line[i + 1]] = list = [];
                list.Add(line[i]);
            }
        }
        foreach (var (s, t) in reverse) ToTraditional[s] = [.. t];
    }

    /// <summary>How many character pairs the table holds.</summary>
    public static int Count => ToSimple.Count(c => c != '\0');

    /// <summary>The character in simplified form (itself when it has no traditional form).</summary>
    public static char Simplify(char c) => ToSimple[c] is var s && s != '\0' ? s : c;

    /// <summary>The text with every traditional character replaced by its simplified form; the same instance when nothing changes.</summary>
    public static string Simplify(string text)
    {
        var i = 0;
        while (i < text.Length && ToSimple[text[i]] == '\0') i++;
        if (i == text.Length) return text;
        return string.Create(text.Length, text, static (span, t) =>
        {
            for (var k = 0; k < t.Length; k++) span[k] = ToSimple[t[k]] is var s && s != '\0' ? s : t[k];
        });
    }

    /// <summary>
    /// The term written in simplified characters first, then in the traditional (and mixed) spellings that fold to it,
    /// at most <paramref name="max"/> in all; for search keys stored as typed (泸州 also finds 瀘州).
    /// </summary>
    public static IReadOnlyList<string> Spellings(string term, int max = 16)
    {
        var simple = Simplify(term);
        var result = new List<string> { simple };
        if (simple != term) result.Add(term);
        Expand(simple.ToCharArray(), 0, result, max);
        return result;
    }

    private static void Expand(char[] chars, int from, List<string> into, int max)
    {
        for (var i = from; i < chars.Length && into.Count < max; i++)
        {
            if (!ToTraditional.TryGetValue(chars[i], out var traditional)) continue;
            var original = chars[i];
            foreach (var t in traditional)
            {
                if (into.Count >= max) break;
                chars[i] = t;
                var s = new string(chars);
                if (!into.Contains(s)) into.Add(s);
                Expand(chars, i + 1, into, max);
            }
            chars[i] = original;
        }
    }
}
