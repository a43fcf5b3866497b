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

    /// <summary>How many neighbours each record is compared with in a sorted-neighbourhood pass over all records.</summary>
    public const int PassWindow = 4;

    /// <summary>Likely duplicate contacts: pairs (A &lt; B by id) scoring at least the scorer's threshold.</summary>
    public static List<(int A, int B, MatchResult Result)> Contacts(IReadOnlyList<ContactRecord> records, MatchScorer scorer,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var prepared = new PreparedContact[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = new PreparedContact(records[i]));
        return Scan(prepared, ContactKeys, p => p.Id, p => p.NameKey, ContactSortKeys, (x, y, full) => scorer.Score(x, y, full), scorer.Threshold, progress, ct);
    }

    /// <summary>Likely duplicate accounts: pairs (A &lt; B by id) scoring at least the scorer's threshold.</summary>
    public static List<(int A, int B, MatchResult Result)> Accounts(IReadOnlyList<AccountRecord> records, MatchScorer scorer,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var prepared = new PreparedAccount[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = ct }, i => prepared[i] = new PreparedAccount(records[i]));
        return Scan(prepared, AccountKeys, p => p.Id, p => p.Name.Full, _ => [], (x, y, full) => scorer.Score(x, y, full), scorer.Threshold, progress, ct);
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
        // A name token's Soundex code or its first two letters (a typo in a name often changes one but not the other)
        // with a distinctive address word (its first four letters, so a typo later in the word still agrees): catches pairs
        // whose birthday, postcode and street number all changed ("isabella hendricks, 86 colborne place" and
        // "isabekla hendricks, 6 colborne place"; "finlay white, goodwinstreet" and "filnay whige, goodwintsreet").
        foreach (var word in AddressWords(c))
            foreach (var t in c.LatinNameTokens)
                if (t.Length >= 2)
                {
                    yield return "aw" + Soundex(t) + "|" + word;
                    yield return "aq" + t[..2] + "|" + word;
                }
        if (pc.Length > 0 && c.LatinNameTokens.Length > 0)
            yield return "pc" + pc + string.Concat(c.LatinNameTokens.Select(t => t[0]).Order());
        if (c.CjkName is { } cjk)
        {
            if (cjk.Length <= 2) yield return "c" + cjk;
            else for (var i = 0; i + 1 < cjk.Length; i++) yield return "c" + cjk.Substring(i, 2);
        }
    }

    /// <summary>Up to six distinctive Latin words of the address (no numbers, no street types), cut to four letters.</summary>
    internal static IEnumerable<string> AddressWords(PreparedContact c)
    {
        var seen = 0;
        foreach (var t in c.AddressTokens)
        {
            if (t.Length < 4 || !char.IsAsciiLetter(t[0]) || AddressNormalizer.IsStreetType(t)) continue;
            yield return t[..4];
            if (++seen == 6) yield break;
        }
    }

    /// <summary>
    /// Sort keys of one contact, one per sorted-neighbourhood pass over all contacts ("" leaves the contact out of that pass):
    /// the address without its numbers ("woronorastreet wande arah leslie vale" sorts beside "woronora street wandearah
    /// leslie vale" whatever the names), and the Latin name read backwards (a typo in the first letters keeps the ending).
    /// </summary>
    internal static string[] ContactSortKeys(PreparedContact c)
    {
        var address = string.Join(" ", c.AddressTokens.Where(t => !char.IsAsciiDigit(t[0])));
        var name = string.Join(" ", c.LatinNameTokens);
        var reversed = name.Length < 4 ? "" : string.Create(name.Length, name, (span, s) => { s.AsSpan().CopyTo(span); span.Reverse(); });
        return [address, reversed];
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

    /// <summary>
    /// Every pair of contacts the scan would score (A &lt; B by id), whatever their score: the measure of blocking recall
    /// (the share of true pairs that are ever compared) and of the work done.
    /// </summary>
    public static List<(int A, int B)> ContactCandidates(IReadOnlyList<ContactRecord> records, CancellationToken ct = default)
    {
        var prepared = records.Select(r => new PreparedContact(r)).ToArray();
        var pairs = new ConcurrentBag<(int A, int B)>();
        ForEachCandidate(prepared, ContactKeys, p => p.NameKey, ContactSortKeys, ct, (x, y) =>
        {
            var (a, b) = (prepared[x].Id, prepared[y].Id);
            pairs.Add(a < b ? (a, b) : (b, a));
        }, null);
        return pairs.OrderBy(p => p.A).ThenBy(p => p.B).ToList();
    }

    private static List<(int A, int B, MatchResult Result)> Scan<T>(T[] prepared, Func<T, IEnumerable<string>> keysOf, Func<T, int> idOf,
        Func<T, string> blockOrderOf, Func<T, string[]> sortKeysOf,
        Func<T, T, bool, MatchResult> score, double threshold, IProgress<double>? progress, CancellationToken ct)
    {
        var found = new ConcurrentBag<(int A, int B, MatchResult Result)>();
        ForEachCandidate(prepared, keysOf, blockOrderOf, sortKeysOf, ct, (i, j) =>
        {
            var (me, other) = (prepared[i], prepared[j]);
            if (score(me, other, false).Score < threshold) return;
            var full = score(me, other, true);
            var (ia, ib) = (idOf(me), idOf(other));
            found.Add(ia < ib ? (ia, ib, full) : (ib, ia, full));
        }, progress);
        return found.OrderBy(f => f.A).ThenBy(f => f.B).ToList();
    }

    /// <summary>
    /// Calls <paramref name="visit"/> once for every candidate pair (i &lt; j, indexes into <paramref name="prepared"/>), in parallel:
    /// records sharing a blocking key (blocks over <see cref="MaxBlockSize"/> compare sorted neighbours only), and records that are
    /// neighbours within <see cref="PassWindow"/> when all records are sorted by each of the sort keys.
    /// </summary>
    private static void ForEachCandidate<T>(T[] prepared, Func<T, IEnumerable<string>> keysOf, Func<T, string> blockOrderOf, Func<T, string[]> sortKeysOf,
        CancellationToken ct, Action<int, int> visit, IProgress<double>? progress)
    {
        var n = prepared.Length;
        progress?.Report(0);
        if (n < 2) { progress?.Report(1); return; }

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
        progress?.Report(0.02);

        var usable = members.Select(m => m.Count >= 2 && m.Count <= MaxBlockSize ? m.ToArray() : null).ToArray();

        // Each record gets the later neighbours it must be compared with: in oversized blocks sorted by the first sort key,
        // and in the whole set sorted by each sort key (sorted neighbourhood).
        var neighbours = new List<int>?[n];
        void Neighbours(int[] sorted, int window)
        {
            for (var k = 0; k < sorted.Length; k++)
                for (var w = 1; w <= window && k + w < sorted.Length; w++)
                {
                    var (x, y) = (Math.Min(sorted[k], sorted[k + w]), Math.Max(sorted[k], sorted[k + w]));
                    (neighbours[x] ??= []).Add(y);
                }
        }
        var sortKeys = new string[n][];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i => sortKeys[i] = sortKeysOf(prepared[i]));
        foreach (var m in members)
        {
            if (m.Count <= MaxBlockSize) continue;
            ct.ThrowIfCancellationRequested();
            Neighbours(m.OrderBy(i => blockOrderOf(prepared[i]), StringComparer.Ordinal).ToArray(), Window);
        }
        var passes = sortKeys.Max(k => k.Length); // at least one record, so Max has a value
        for (var pass = 0; pass < passes; pass++)
        {
            ct.ThrowIfCancellationRequested();
            var p = pass;
            var sorted = Enumerable.Range(0, n).Where(i => p < sortKeys[i].Length && sortKeys[i][p].Length > 0)
                .OrderBy(i => sortKeys[i][p], StringComparer.Ordinal).ToArray();
            Neighbours(sorted, PassWindow);
        }
        progress?.Report(0.05);

        var done = 0;
        var reported = 0;
        var gate = new Lock();
        var step = Math.Max(1, n / 100);
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct },
            () => { var s = new int[n]; Array.Fill(s, -1); return s; },
            (i, state, stamp) =>
            {
                void Compare(int j)
                {
                    if (j <= i || stamp[j] == i) return;
                    stamp[j] = i;
                    visit(i, j);
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
    }
}
