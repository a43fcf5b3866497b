using System.Diagnostics;
using CrmWorkspace.Features.Duplicates.Matching;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>The batch scan finds the duplicates of the Febrl data sets and of the CJK set with one threshold.</summary>
public class BatchScanTests(ITestOutputHelper output)
{
    /// <summary>Pair F1 on both Febrl person data sets is at least 0.995 at the default threshold (the social security number is not used).</summary>
    [Theory]
    [InlineData("dataset1.csv", 1000)]
    [InlineData("dataset3.csv", 5000)]
    public void Febrl_duplicates_are_found_at_the_default_threshold(string file, int rows)
    {
        var (records, entityOf) = Febrl.Load(FebrlFiles.Path(file));
        Assert.Equal(rows, records.Count);
        var watch = Stopwatch.StartNew();
        var found = BatchScan.Contacts(records, new MatchScorer());
        watch.Stop();
        var (p, r, f1) = Febrl.Evaluate(found, entityOf);
        output.WriteLine($"{file}: threshold {MatchScorer.DefaultThreshold}, {found.Count} pairs, P={p:F4} R={r:F4} F1={f1:F4}, {watch.ElapsedMilliseconds} ms");
        Assert.True(f1 >= 0.995, $"F1 {f1:F4} (P {p:F4}, R {r:F4})");
    }

    /// <summary>
    /// Recall is limited by the scorer, not by blocking: every true pair that scores at or above the threshold is among the
    /// pairs the scan compares (typo in both name and phone, street number and postcode changed...), and blocking recall,
    /// the share of all true pairs ever compared, is at least 0.999.
    /// </summary>
    [Theory]
    [InlineData("dataset1.csv")]
    [InlineData("dataset3.csv")]
    public void Every_true_pair_the_scorer_would_accept_is_compared(string file)
    {
        var (records, entityOf) = Febrl.Load(FebrlFiles.Path(file));
        var scorer = new MatchScorer();
        var compared = BatchScan.ContactCandidates(records).ToHashSet();
        var byId = records.ToDictionary(x => x.Id);
        var truePairs = entityOf.GroupBy(kv => kv.Value)
            .SelectMany(g => from a in g from b in g where a.Key < b.Key select (A: a.Key, B: b.Key)).ToList();
        var blockingRecall = Febrl.BlockingRecall(compared, entityOf);
        output.WriteLine($"{file}: {compared.Count:N0} pairs compared ({(double)compared.Count / records.Count:F1} per record), blocking recall {blockingRecall:F4}");
        var missed = truePairs.Where(t => !compared.Contains(t) && scorer.IsLikelyDuplicate(scorer.Score(byId[t.A], byId[t.B])))
            .Select(t => $"{byId[t.A].Name} / {byId[t.A].Address} ~ {byId[t.B].Name} / {byId[t.B].Address}").ToList();
        Assert.Empty(missed);
        Assert.True(blockingRecall >= 0.999, $"blocking recall {blockingRecall:F4}");
    }

    /// <summary>The work stays linear: on average a record is compared with at most 15 others (bounded blocks, fixed windows).</summary>
    [Fact]
    public void Compared_pairs_grow_linearly_with_the_records()
    {
        var (records, _) = Febrl.Load(FebrlFiles.Path("dataset3.csv"));
        var compared = BatchScan.ContactCandidates(records);
        Assert.InRange(compared.Count, records.Count, 15 * records.Count);
    }

    /// <summary>
    /// Two different people who share only a full name (Febrl's namesakes: other address, postcode, birthday) are never reported,
    /// however many tokens the name has ("alexa-rose white").
    /// </summary>
    [Fact]
    public void Febrl_namesakes_never_reach_the_threshold()
    {
        var (records, entityOf) = Febrl.Load(FebrlFiles.Path("dataset3.csv"));
        var scorer = new MatchScorer();
        var namesakes = (from g in records.Where(r => PersonNameNormalizer.Tokens(r.Name).Count >= 2).GroupBy(r => PersonNameNormalizer.Key(r.Name))
                         from a in g
                         from b in g
                         where a.Id < b.Id && entityOf[a.Id] != entityOf[b.Id]
                         select (a, b, Score: scorer.Score(a, b).Score)).ToList();
        output.WriteLine($"{namesakes.Count} namesake pairs, highest score {namesakes.Max(x => x.Score):F3}");
        Assert.True(namesakes.Count >= 100, $"{namesakes.Count} namesake pairs");
        Assert.All(namesakes, x => Assert.True(x.Score < scorer.Threshold, $"{x.a.Name} / {x.a.Address} ~ {x.b.Name} / {x.b.Address}: {x.Score:F3}"));
    }

    /// <summary>The CJK set (company name variants, person names with phone formats) reaches F1 0.95 at the same threshold.</summary>
    [Fact]
    public void Cjk_duplicates_are_found_at_the_default_threshold()
    {
        var scorer = new MatchScorer();
        var (accounts, accountEntity) = CjkTestSet.Accounts();
        var (contacts, contactEntity) = CjkTestSet.Contacts();
        var accountPairs = BatchScan.Accounts(accounts, scorer);
        var contactPairs = BatchScan.Contacts(contacts, scorer);
        var a = Febrl.Evaluate(accountPairs, accountEntity);
        var c = Febrl.Evaluate(contactPairs, contactEntity);

        // Both kinds together: contact ids shifted so that the two id ranges do not overlap.
        const int shift = 100_000;
        var entity = accountEntity.ToDictionary(kv => kv.Key, kv => "a:" + kv.Value);
        foreach (var (id, e) in contactEntity) entity[id + shift] = "c:" + e;
        var all = accountPairs.Concat(contactPairs.Select(x => (x.A + shift, x.B + shift, x.Result))).ToList();
        var (p, r, f1) = Febrl.Evaluate(all, entity);

        output.WriteLine($"accounts ({accounts.Count}): P={a.Precision:F4} R={a.Recall:F4} F1={a.F1:F4}");
        output.WriteLine($"contacts ({contacts.Count}): P={c.Precision:F4} R={c.Recall:F4} F1={c.F1:F4}");
        output.WriteLine($"all: P={p:F4} R={r:F4} F1={f1:F4}");
        foreach (var (x, y, res) in accountPairs.Where(x => accountEntity[x.A] != accountEntity[x.B]))
            output.WriteLine($"false pair {accounts[x - 1].Name} ~ {accounts[y - 1].Name} {res.Score:F3}");

        // What a manager sees: the review queue groups pairs that share a record (union-find), so a typo variant linked by its
        // phone to the head record and that record linked by name to a third make one group of three.
        var (gp, gr, gf1) = Febrl.Evaluate(GroupPairs(all), entity);
        output.WriteLine($"as review groups: P={gp:F4} R={gr:F4} F1={gf1:F4}");
        var found = GroupPairs(all).Select(x => (Math.Min(x.A, x.B), Math.Max(x.A, x.B))).ToHashSet();
        foreach (var g in accountEntity.GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
            foreach (var x in g) foreach (var y in g.Where(y => y.Key > x.Key))
                if (!found.Contains((x.Key, y.Key))) output.WriteLine($"missed {accounts[x.Key - 1].Name} ~ {accounts[y.Key - 1].Name}");
        Assert.True(f1 >= 0.95, $"F1 {f1:F4} (P {p:F4}, R {r:F4})");
        Assert.True(gf1 >= 0.995, $"F1 as review groups {gf1:F4} (P {gp:F4}, R {gr:F4})");
    }

    /// <summary>The loader numbers records 1..n and maps each to the entity before "-org" or "-dup-k".</summary>
    [Fact]
    public void Febrl_loader_reads_records_and_entities()
    {
        var (records, entityOf) = Febrl.Load(FebrlFiles.Path("dataset1.csv"));
        Assert.Equal(Enumerable.Range(1, 1000), records.Select(x => x.Id));
        var first = records[0]; // rec-223-org, , waller, 6, tullaroop street, willaroo, st james, 4011, wa, 19081209
        Assert.Equal("rec-223", entityOf[1]);
        Assert.Equal("waller", first.Name);
        Assert.Equal("6 tullaroop street willaroo st james 4011 wa", first.Address);
        Assert.Equal("4011", first.Postcode);
        Assert.Equal(new DateOnly(1908, 12, 9), first.Birthday);
        Assert.Equal("rec-10", entityOf[4]); // rec-10-dup-0
        Assert.Equal(500, entityOf.Values.Distinct().Count());
    }

    /// <summary>Evaluation counts every pair within an entity as a true pair.</summary>
    [Fact]
    public void Evaluation_counts_all_pairs_of_an_entity()
    {
        var entity = new Dictionary<int, string> { [1] = "x", [2] = "x", [3] = "x", [4] = "y" };
        var hit = new MatchResult(1, []);
        var (p, r, f1) = Febrl.Evaluate([(1, 2, hit), (2, 3, hit), (3, 4, hit)], entity);
        Assert.Equal(2.0 / 3, p, 6);
        Assert.Equal(2.0 / 3, r, 6);
        Assert.Equal(2.0 / 3, f1, 6);
    }

    /// <summary>Pairs come with A &lt; B, only once, all at or above the threshold, with reasons.</summary>
    [Fact]
    public void Pairs_are_ordered_unique_and_above_the_threshold()
    {
        var (records, _) = Febrl.Load(FebrlFiles.Path("dataset1.csv"));
        var scorer = new MatchScorer();
        var found = BatchScan.Contacts(records, scorer);
        Assert.NotEmpty(found);
        Assert.All(found, x =>
        {
            Assert.True(x.A < x.B);
            Assert.True(scorer.IsLikelyDuplicate(x.Result));
            Assert.NotEmpty(x.Result.Reasons);
        });
        Assert.Equal(found.Count, found.Select(x => (x.A, x.B)).Distinct().Count());
        var byId = records.ToDictionary(x => x.Id);
        var sample = found[0];
        Assert.Equal(scorer.Score(byId[sample.A], byId[sample.B]).Score, sample.Result.Score, 9);
    }

    /// <summary>Ids need not be in order: the smaller id still comes first.</summary>
    [Fact]
    public void Smaller_id_comes_first_whatever_the_record_order()
    {
        ContactRecord[] records =
        [
            new() { Id = 50, Name = "张伟", PhonesE164 = ["+8613800138000"] },
            new() { Id = 7, Name = "张 伟", PhonesE164 = ["+8613800138000"] },
            new() { Id = 9, Name = "李娜", PhonesE164 = ["+8613900000000"] },
        ];
        var pair = Assert.Single(BatchScan.Contacts(records, new MatchScorer()));
        Assert.Equal((7, 50), (pair.A, pair.B));
    }

    /// <summary>Progress goes from 0 to 1 without going back.</summary>
    [Fact]
    public void Progress_runs_from_zero_to_one()
    {
        var (records, _) = Febrl.Load(FebrlFiles.Path("dataset1.csv"));
        var reports = new List<double>();
        BatchScan.Contacts(records, new MatchScorer(), new SyncProgress(reports.Add));
        Assert.Equal(0, reports[0]);
        Assert.Equal(1, reports[^1]);
        Assert.True(reports.Count > 10);
        Assert.All(reports, v => Assert.InRange(v, 0, 1));
        Assert.Equal(reports.Order(), reports);
    }

    /// <summary>A cancelled scan stops with OperationCanceledException.</summary>
    [Fact]
    public void Cancellation_stops_the_scan()
    {
        var (records, _) = Febrl.Load(FebrlFiles.Path("dataset3.csv"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => BatchScan.Contacts(records, new MatchScorer(), ct: cts.Token));
        var (accounts, _) = CjkTestSet.Accounts();
        Assert.ThrowsAny<OperationCanceledException>(() => BatchScan.Accounts(accounts, new MatchScorer(), ct: cts.Token));
    }

    /// <summary>Records in an oversized block (400 accounts named alike) are still compared with their sorted neighbours.</summary>
    [Fact]
    public void Oversized_blocks_still_compare_neighbours()
    {
        var records = Enumerable.Range(1, 400).Select(i => new AccountRecord { Id = i, Name = "五粮液有限公司" }).ToList();
        var found = BatchScan.Accounts(records, new MatchScorer());
        Assert.True(found.Count >= 399 && found.Count <= 400 * BatchScan.Window, $"{found.Count} pairs");
        Assert.Equal(400, found.SelectMany(x => new[] { x.A, x.B }).Distinct().Count());
    }

    /// <summary>Empty and single-record inputs give no pairs.</summary>
    [Fact]
    public void Tiny_inputs_give_no_pairs()
    {
        Assert.Empty(BatchScan.Contacts([], new MatchScorer()));
        Assert.Empty(BatchScan.Accounts([new AccountRecord { Id = 1, Name = "五粮液" }], new MatchScorer()));
    }

    /// <summary>Progress that reports on the calling thread, unlike Progress&lt;T&gt; which posts to a synchronisation context.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        private readonly Lock gate = new();

        /// <summary>Records one report.</summary>
        public void Report(double value)
        {
            lock (gate) report(value);
        }
    }

    /// <summary>Every pair inside the groups that the found pairs form (as the review queue shows them).</summary>
    private static List<(int A, int B, MatchResult Result)> GroupPairs(IReadOnlyList<(int A, int B, MatchResult Result)> pairs)
    {
        var parent = new Dictionary<int, int>();
        int Find(int x) { while (parent.TryGetValue(x, out var p) && p != x) x = parent[x] = parent.GetValueOrDefault(p, p); return x; }
        foreach (var (a, b, _) in pairs) { parent.TryAdd(a, a); parent.TryAdd(b, b); parent[Find(a)] = Find(b); }
        var groups = parent.Keys.GroupBy(Find).Select(g => g.Order().ToList());
        return groups.SelectMany(g => g.SelectMany((x, i) => g.Skip(i + 1).Select(y => (x, y, new MatchResult(1, []))))).ToList();
    }
}
