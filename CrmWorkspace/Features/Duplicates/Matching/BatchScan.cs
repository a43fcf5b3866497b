using System.Collections.Concurrent;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Finds likely duplicates among many records in memory without comparing all pairs: records are grouped by
/// blocking keys (phone, e-mail, name key, phonetic name code with birth year or postcode, birthday, CJK name pieces)
/// and only records sharing a key are scored.
/// </summary>
public static class BatchScan
{
    /// <summary>
    /// Blocks larger than this are too unspecific to compare all their pairs (a shared switchboard number, "张伟"):
    /// their records are sorted by name and each is compared with its next <see cref="Window"/> neighbours only.
    /// </summary>
    public const int MaxBlockSize = 300;

    /// <summary>How many sorted neighbours each record of an oversized block is compared with.</summary>
    public const int Window = 20;

    /// <summary>Likely duplicate contacts: pairs (A &lt; B by id) scoring at least the scorer's threshold.</summary>
    public static List<(int A, int B, MatchResult Result)> Contacts(IReadOnlyList<ContactRecord> records, MatchScorer scorer,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var prepared = new PreparedContact[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = new PreparedContact(records[i]));
        return Scan(prepared, ContactKeys, p => p.Id, p => p.NameKey, (x, y, full) => scorer.Score(x, y, full), scorer.Threshold, progress, ct);
    }

    /// <summary>Likely duplicate accounts: pairs (A &lt; B by id) scoring at least the scorer's threshold.</summary>
    public static List<(int A, int B, MatchResult Result)> Accounts(IReadOnlyList<AccountRecord> records, MatchScorer scorer,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var prepared = new PreparedAccount[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = new PreparedAccount(records[i]));
        return Scan(prepared, AccountKeys, p => p.Id, p => p.Name.Full, (x, y, full) => scorer.Score(x, y, full), scorer.Threshold, progress, ct);
    }

    /// <summary>Blocking keys of one contact.</summary>
    internal static IEnumerable<string> ContactKeys(PreparedContact c)
    {
        foreach (var p in c.Phones) yield return "p" + p;
        foreach (var e in c.Emails) yield return "e" + e;
        if (c.NameKey.Length > 0) yield return "n" + c.NameKey;
        var year = c.Birthday?.Year.ToString() ?? "";
        var pc = c.Postcode ?? "";
        if (c.Birthday is { } b) yield return "b" + b.ToString("yyyyMMdd");
        foreach (var t in c.LatinNameTokens)
        {
            if (t.Length < 2) continue;
            var code = Soundex(t);
            if (year.Length > 0) yield return "sy" + code + year;
            if (pc.Length > 0) yield return "sp" + code + pc;
            // A typo in the first letter changes the Soundex code; the ending of the name does not.
            if (t.Length >= 4 && year.Length > 0) yield return "ty" + t[^3..] + year;
            if (t.Length >= 4 && pc.Length > 0) yield return "tp" + t[^3..] + pc;
        }
        // Street number with a name code or with the first street word: catches pairs whose postcode and birthday both changed.
        var number = c.AddressTokens.FirstOrDefault(t => char.IsAsciiDigit(t[0]));
        if (number is not null)
        {
            foreach (var t in c.LatinNameTokens)
                if (t.Length >= 2) yield return "na" + number + "|" + Soundex(t);
            var street = c.AddressTokens.FirstOrDefault(t => t.Length >= 3 && char.IsLetter(t[0]));
            if (street is not null) yield return "ns" + number + "|" + street;
        }
        if (pc.Length > 0 && c.LatinNameTokens.Length > 0)
            yield return "pc" + pc + string.Concat(c.LatinNameTokens.Select(t => t[0]).Order());
        if (c.CjkName is { } cjk)
        {
            if (cjk.Length <= 2) yield return "c" + cjk;
            else for (var i = 0; i + 1 < cjk.Length; i++) yield return "c" + cjk.Substring(i, 2);
        }
    }

    /// <summary>Blocking keys of one account.</summary>
    internal static IEnumerable<string> AccountKeys(PreparedAccount a)
    {
        if (a.Phone is not null) yield return "p" + a.Phone;
        var core = a.Name.Core;
        if (core.Length == 0) yield break;
        yield return "n" + core;
        if (a.Name.Full.Length > 0) yield return "f" + a.Name.Full;
        if (TextSimilarity.HasCjk(core))
        {
            for (var i = 0; i + 1 < core.Length; i++) yield return "c" + core.Substring(i, 2);
            // Short cores have one or two pairs only: a wrong character would leave no shared key.
            if (core.Length <= 3)
            {
                yield return "k" + core[0] + core.Length;
                yield return "l" + core[^1] + core.Length;
            }
        }
        else
        {
            if (core.Length >= 3) yield return "s" + core[..3];
            if (core.Length >= 3) yield return "e" + core[^3..];
        }
    }

    /// <summary>American Soundex: first letter and three digits ("robert" gives "r163").</summary>
    internal static string Soundex(string s)
    {
        var sb = new StringBuilder(4);
        char last = '\0';
        foreach (var ch in s)
        {
            var c = char.ToLowerInvariant(ch);
            if (c is < 'a' or > 'z') continue;
            var code = c switch
            {
                'b' or 'f' or 'p' or 'v' => '1',
                'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
                'd' or 't' => '3',
                'l' => '4',
                'm' or 'n' => '5',
                'r' => '6',
                'h' or 'w' => '-',
                _ => '0',
            };
            if (sb.Length == 0) { sb.Append(c); last = code; continue; }
            if (code == '-') continue;
            if (code != '0' && code != last) sb.Append(code);
            last = code;
            if (sb.Length == 4) break;
        }
        if (sb.Length == 0) return s;
        while (sb.Length < 4) sb.Append('0');
        return sb.ToString();
    }

    private static List<(int A, int B, MatchResult Result)> Scan<T>(T[] prepared, Func<T, IEnumerable<string>> keysOf, Func<T, int> idOf,
        Func<T, string> sortKeyOf,
        Func<T, T, bool, MatchResult> score, double threshold, IProgress<double>? progress, CancellationToken ct)
    {
        var n = prepared.Length;
        progress?.Report(0);
        if (n < 2) { progress?.Report(1); return []; }

        // Block id per key; members per block.
        var blockOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new List<List<int>>();
        var keysPerRecord = new int[n][];
        var scratch = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
            scratch.Clear();
            foreach (var key in keysOf(prepared[i]))
            {
                if (!blockOf.TryGetValue(key, out var block))
                {
                    block = members.Count;
                    blockOf.Add(key, block);
                    members.Add([]);
                }
                if (scratch.Contains(block)) continue;
                scratch.Add(block);
                members[block].Add(i);
            }
            keysPerRecord[i] = scratch.ToArray();
        }
        progress?.Report(0.05);

        var usable = members.Select(m => m.Count >= 2 && m.Count <= MaxBlockSize ? m.ToArray() : null).ToArray();

        // Oversized blocks: sorted neighbourhood. Each record gets the later neighbours it must be compared with.
        var neighbours = new List<int>?[n];
        foreach (var m in members)
        {
            if (m.Count <= MaxBlockSize) continue;
            ct.ThrowIfCancellationRequested();
            var sorted = m.OrderBy(i => sortKeyOf(prepared[i]), StringComparer.Ordinal).ToArray();
            for (var k = 0; k < sorted.Length; k++)
                for (var w = 1; w <= Window && k + w < sorted.Length; w++)
                {
                    var (x, y) = (Math.Min(sorted[k], sorted[k + w]), Math.Max(sorted[k], sorted[k + w]));
                    (neighbours[x] ??= []).Add(y);
                }
        }
        var found = new ConcurrentBag<(int A, int B, MatchResult Result)>();
        var done = 0;
        var reported = 0;
        var gate = new Lock();
        var step = Math.Max(1, n / 100);
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct },
            () => { var s = new int[n]; Array.Fill(s, -1); return s; },
            (i, state, stamp) =>
            {
                var me = prepared[i];
                void Compare(int j)
                {
                    if (j <= i || stamp[j] == i) return;
                    stamp[j] = i;
                    var other = prepared[j];
                    if (score(me, other, false).Score < threshold) return;
                    var full = score(me, other, true);
                    var (ia, ib) = (idOf(me), idOf(other));
                    found.Add(ia < ib ? (ia, ib, full) : (ib, ia, full));
                }
                foreach (var block in keysPerRecord[i])
                    if (usable[block] is { } list)
                        foreach (var j in list) Compare(j);
                if (neighbours[i] is { } extra)
                    foreach (var j in extra) Compare(j);
                var d = Interlocked.Increment(ref done);
                if (progress is not null && d % step == 0)
                    lock (gate)
                    {
                        // Workers finish out of order; report only forward steps so a progress bar never goes back.
                        if (d > reported) { reported = d; progress.Report(0.05 + 0.95 * d / n); }
                    }
                return stamp;
            },
            _ => { });
        lock (gate) progress?.Report(1);
        return found.OrderBy(f => f.A).ThenBy(f => f.B).ToList();
    }
}
