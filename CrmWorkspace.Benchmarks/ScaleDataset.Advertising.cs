using System.Diagnostics;
using System.Globalization;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>How much advertising the scale dataset carries (issue 15, point 7).</summary>
public record AdScale(int Opportunities, int Contracts, int Insertions, int BoardOwnerOpen, int Salespeople, int Years, decimal Capacity)
{
    public static readonly AdScale Full = new(50_000, 20_000, 200_000, 2_000, 18, 10, 1m);
    public static readonly AdScale Quick = new(2_500, 1_000, 10_000, 200, 6, 10, 0.3m);   // room left in coming issues for the placement scenario
    public static AdScale Of(ScaleSize size) => size == ScaleSize.Quick ? Quick : Full;
}

public static partial class ScaleDataset
{
    /// <summary>The owner of the big board: the marketing lead the benchmark signs in as.</summary>
    public const string BoardOwnerEmail = "marketing@demo.local";
    private static readonly string[] RepNames = ["赵敏", "孙强", "周杰", "吴倩", "郑浩", "冯雪", "陈晨", "褚磊", "卫东", "蒋丽", "沈阳", "韩梅", "杨帆", "朱婷", "秦勇", "许静", "何斌", "吕佳", "施然", "张驰"];

    /// <summary>Pages and ad pages of each periodical's issues (in order of the demo titles: weekly, monthly, quarterly).</summary>
    private static readonly (int Pages, int AdPages, double Weight)[] IssueShape = [(200, 130, 0.72), (240, 150, 0.20), (280, 170, 0.08)];

    /// <summary>
    /// Adds the advertising business unless present: ad salespeople (through the app's staff service), issues of the three periodicals
    /// over the years, a rate card per year, opportunities over all owners (the marketing lead with <see cref="AdScale.BoardOwnerOpen"/>
    /// on the board), contracts from accepted quotes with payment plans (some overdue), and insertions placed issue by issue within
    /// each issue's ad pages, the premium positions never twice. The coming issue of the weekly is a 200-page issue with its flatplan
    /// exactly full. Deterministic for a given day: same seed, same rows.
    /// </summary>
    public static async Task<TimeSpan?> EnsureAdvertisingAsync(IServiceProvider services, string path, ScaleSize size, TextWriter log)
    {
        var scale = AdScale.Of(size);
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        if (await ScalarAsync(c, "SELECT COUNT(*) FROM Opportunities") >= scale.Opportunities && await ScalarAsync(c, "SELECT COUNT(*) FROM AdContracts") >= scale.Contracts) return null;
        if (await ScalarAsync(c, "SELECT COUNT(*) FROM Periodicals") < 3) throw new InvalidOperationException("Advertising needs the three periodicals of the subscriptions: run EnsureSubscriptionsAsync first.");
        var sw = Stopwatch.StartNew();
        log.WriteLine($"Adding advertising: {scale.Opportunities:N0} opportunities, {scale.Contracts:N0} contracts, {scale.Insertions:N0} insertions ...");

        // Salespeople of the marketing center, created as an administrator would (so they can sign in and appear in every list).
        using (var scope = services.CreateScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<StaffAdminService>();
            for (var i = 1; i <= scale.Salespeople; i++)
            {
                var r = await admin.CreateFirstAsync(new NewStaff($"ads{i:00}@bench.local", $"{RepNames[(i - 1) % RepNames.Length]}{(i > RepNames.Length ? i.ToString() : "")}", "Demo-2026",
                    (int)TeamCode.Marketing, Roles.Sales));
                if (!r.Ok && !r.Problem!.Contains("exists")) throw new InvalidOperationException($"Ad salesperson {i}: {r.Problem}");
            }
        }

        await Exec(c, """
            PRAGMA synchronous=OFF;
            DELETE FROM AdInstalments; DELETE FROM AdInsertions; DELETE FROM AdContracts; DELETE FROM QuoteLines; DELETE FROM Quotes;
            DELETE FROM Opportunities; DELETE FROM AdIssuePlans; DELETE FROM AdDiscountTiers; DELETE FROM AdProducts;
            """);
        var owner = await RowsAsync(c, $"SELECT Id, TeamId FROM AspNetUsers WHERE Email = '{BoardOwnerEmail}'", r => (Id: r.GetString(0), Team: r.IsDBNull(1) ? (int?)null : r.GetInt32(1)));
        var reps = await RowsAsync(c, "SELECT Id, TeamId FROM AspNetUsers WHERE Email LIKE 'ads%@bench.local' ORDER BY Email", r => (Id: r.GetString(0), Team: r.IsDBNull(1) ? (int?)null : r.GetInt32(1)));
        var boardOwner = owner.Single();
        var periodicals = await RowsAsync(c, "SELECT Id, Code, Frequency, IssuesPerYear FROM Periodicals WHERE IsDeleted = 0 ORDER BY Id LIMIT 3",
            r => new Periodical { Id = r.GetInt32(0), Code = r.GetString(1), Frequency = (IssueFrequency)r.GetInt32(2), IssuesPerYear = r.GetInt32(3) });
        var maxAccount = await ScalarAsync(c, "SELECT MAX(Id) FROM Accounts");
        var today = DateOnly.FromDateTime(DateTime.Today);
        var firstYear = today.Year - scale.Years + 1;
        var rng = new Random(size.Seed + 15);
        Guid G() { var b = new byte[16]; rng.NextBytes(b); return new Guid(b); }
        string V() => G().ToString().ToUpperInvariant();
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd");
        static string M(decimal m) => m.ToString("0.00", CultureInfo.InvariantCulture);
        DateTimeOffset At(DateOnly d, int hour = 10) => new(d.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

        await using var tx = c.BeginTransaction();
        // Issues of every year (the subscriptions builder leaves none); existing numbers are kept.
        var issueInsert = Prepare(c, tx, "INSERT INTO PeriodicalIssues (PeriodicalId, Number, PublishedOn, IsSpecial) VALUES ($p0,$p1,$p2,0)", 3);
        foreach (var p in periodicals)
        {
            var existing = (await RowsAsync(c, $"SELECT Number FROM PeriodicalIssues WHERE PeriodicalId = {p.Id}", r => r.GetString(0), tx)).ToHashSet();
            for (var year = firstYear; year <= today.Year + 1; year++)
                foreach (var (number, date) in PeriodicalService.Schedule(p, year))
                {
                    if (!existing.Add(number)) continue;
                    issueInsert.Parameters[0].Value = p.Id; issueInsert.Parameters[1].Value = number; issueInsert.Parameters[2].Value = D(date);
                    await issueInsert.ExecuteNonQueryAsync();
                }
        }
        var issuesOf = new Dictionary<int, List<(int Id, DateOnly On)>>();
        foreach (var p in periodicals)
            issuesOf[p.Id] = await RowsAsync(c, $"SELECT Id, PublishedOn FROM PeriodicalIssues WHERE PeriodicalId = {p.Id} AND PublishedOn >= '{firstYear}-01-01' ORDER BY PublishedOn, Id",
                r => (r.GetInt32(0), DateOnly.Parse(r.GetString(1), CultureInfo.InvariantCulture)), tx);
        var shape = periodicals.Select((p, i) => (p.Id, Pages: IssueShape[i].Pages, AdPages: Math.Max(4, (int)Math.Round(IssueShape[i].AdPages * scale.Capacity)), IssueShape[i].Weight))
            .ToDictionary(x => x.Id);

        // The rate card of every year: five premium positions and three run-of-book sizes per periodical, online ads and services.
        var product = Prepare(c, tx, """
            INSERT INTO AdProducts (Year, Medium, PeriodicalId, Name, Size, Colour, Position, Site, Unit, ListPrice, Active, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9,1,$p10,$p11,$p10,$p11,0,$p12) RETURNING Id
            """, 13);
        var products = new Dictionary<(int Year, int? Periodical, AdPosition Position, AdSize? Size, AdMedium Medium), (int Id, decimal Price, string Name, AdUnit Unit)>();
        (AdPosition, AdSize, string, decimal)[] print =
        [
            (AdPosition.FrontCover, AdSize.Full, "封面", 98_000), (AdPosition.InsideFrontCover, AdSize.Full, "封二", 68_000), (AdPosition.InsideBackCover, AdSize.Full, "封三", 58_000),
            (AdPosition.BackCover, AdSize.Full, "封底", 78_000), (AdPosition.CentreSpread, AdSize.Full, "中心跨版", 88_000),
            (AdPosition.RunOfBook, AdSize.Full, "内页彩色整版", 36_000), (AdPosition.RunOfBook, AdSize.Half, "内页彩色半版", 20_000), (AdPosition.RunOfBook, AdSize.Quarter, "内页黑白四分之一版", 9_000),
        ];
        (AdMedium, string, string?, decimal, AdUnit)[] other =
        [
            (AdMedium.Online, "糖酒网首页通栏", "首页通栏 Home banner", 12_000, AdUnit.Week), (AdMedium.Online, "糖酒网频道页侧栏", "频道页侧栏 Channel sidebar", 5_000, AdUnit.Week),
            (AdMedium.WebsiteDesign, "企业网站设计与维护", null, 8_000, AdUnit.Month), (AdMedium.Listing, "供求信息置顶", null, 1_500, AdUnit.Month),
            (AdMedium.Outdoor, "春糖会场外大牌", "中国西部国际博览城东门", 150_000, AdUnit.Period),
        ];
        var staffId = boardOwner.Id;
        for (var year = firstYear; year <= today.Year + 1; year++)
        {
            var rise = (decimal)Math.Pow(1.04, year - firstYear);
            async Task Add(AdMedium medium, int? periodical, string name, AdSize? sz, AdPosition pos, string? site, AdUnit unit, decimal price, bool colour = true)
            {
                price = Math.Round(price * rise / 100) * 100;
                object?[] v = [year, (int)medium, periodical, name, (int?)sz, colour, (int)pos, site, (int)unit, M(price), T(At(new DateOnly(year, 1, 1)).AddDays(-60)), staffId, V()];
                for (var i = 0; i < v.Length; i++) product.Parameters[i].Value = v[i] ?? DBNull.Value;
                products[(year, periodical, pos, sz, medium)] = ((int)(long)(await product.ExecuteScalarAsync())!, price, name, unit);
            }
            foreach (var (p, i) in periodicals.Select((p, i) => (p, i)))
            {
                var factor = i == 0 ? 1m : i == 1 ? 0.8m : 0.6m;
                foreach (var (pos, sz, name, price) in print) await Add(AdMedium.Print, p.Id, name, sz, pos, null, AdUnit.Issue, price * factor, sz != AdSize.Quarter);
            }
            foreach (var (medium, name, site, price, unit) in other) await Add(medium, null, name, null, AdPosition.RunOfBook, site, unit, price);
            await Exec(c, $"""
                INSERT INTO AdDiscountTiers (Year, Basis, Threshold, Percent) VALUES
                ({year},1,'3.00','5.00'),({year},1,'6.00','10.00'),({year},1,'12.00','15.00'),({year},2,'200000.00','5.00'),({year},2,'500000.00','8.00');
                """, tx);
        }
        var periodicalTitle = await RowsAsync(c, "SELECT Id, Title FROM Periodicals", r => (r.GetInt32(0), r.GetString(1)), tx);
        var titleOf = periodicalTitle.ToDictionary(x => x.Item1, x => x.Item2);

        // Opportunities: the marketing lead's board holds BoardOwnerOpen open deals; the rest spread over the salespeople.
        var opportunity = Prepare(c, tx, """
            INSERT INTO Opportunities (AccountId, Title, Medium, ExpectedValue, ExpectedClose, OwnerId, TeamId, Step, Rank, LostReason, LostAt, Feedback,
              CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,0,$p8,$p9,$p10,$p11,$p5,$p12,$p5,0,$p13)
            """, 14);
        string[] what = ["糖酒快讯封面 + 内页整版全年", "华糖商情半版系列 6 期", "春糖会场外大牌", "糖酒网首页通栏 4 周", "企业网站改版", "中国酒业观察封底", "秋糖特刊跨版",
            "糖酒快讯四分之一版 12 期", "新品上市整版 3 期", "供求信息置顶 半年", "白酒专辑封二", "华糖商情封三全年"];
        int[] stepWeights = [18, 16, 14, 13, 12, 11, 8, 8];
        var lostReasons = Enum.GetValues<LostReason>();
        var ownerLost = scale.BoardOwnerOpen / 4;
        for (var i = 0; i < scale.Opportunities; i++)
        {
            var (ownerId, team) = i < scale.BoardOwnerOpen + ownerLost ? boardOwner : reps[i % reps.Count];
            var lost = i < scale.BoardOwnerOpen + ownerLost ? i >= scale.BoardOwnerOpen : rng.NextDouble() < 0.3;
            var roll = rng.Next(100);
            var step = 1;
            for (var acc = stepWeights[0]; roll >= acc; acc += stepWeights[step - 1]) step++;
            var created = today.AddDays(-rng.Next(1, lost ? 3 * 365 : 400));
            var close = lost ? created.AddDays(rng.Next(20, 180)) : today.AddDays(rng.Next(-30, 300));
            var lostAt = lost ? At(created.AddDays(rng.Next(5, 120)), 15) : (DateTimeOffset?)null;
            var medium = rng.NextDouble() < 0.75 ? AdMedium.Print : (AdMedium)rng.Next(2, 6);
            object?[] v = [rng.NextInt64(1, maxAccount + 1), what[rng.Next(what.Length)], (int)medium, M(rng.Next(1, 60) * 5_000m), D(close), ownerId, team, step,
                lost ? (int)lostReasons[rng.Next(lostReasons.Length)] : null, lostAt is { } la ? T(la) : null,
                !lost && step == 8 ? "客户反馈：刊出后咨询电话明显增加 Feedback: more enquiries after publication" : null,
                T(At(created, 9)), T(lostAt ?? At(created, 11)), V()];
            for (var k = 0; k < v.Length; k++) opportunity.Parameters[k].Value = v[k] ?? DBNull.Value;
            await opportunity.ExecuteNonQueryAsync();
        }
        log.WriteLine($"  {scale.Opportunities:N0} opportunities");

        // Contracts in order of signing over the years, each from an accepted quote, with its payment plan and its insertions.
        var quote = Prepare(c, tx, """
            INSERT INTO Quotes (Number, Revision, AccountId, Status, ValidUntil, SalespersonId, Gross, Net, DiscountPercent, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,1,$p1,4,$p2,$p3,$p4,$p5,$p6,$p7,$p3,$p8,$p3,0,$p9) RETURNING Id
            """, 10);
        var line = Prepare(c, tx, """
            INSERT INTO QuoteLines (QuoteId, ProductId, Description, Unit, UnitPrice, Quantity, Schedule, CardDiscount, ExtraDiscount, Net)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9) RETURNING Id
            """, 10);
        var contract = Prepare(c, tx, """
            INSERT INTO AdContracts (Number, QuoteId, AccountId, SalespersonId, SignedOn, Total, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p3,$p6,$p3,0,$p7) RETURNING Id
            """, 8);
        var instalment = Prepare(c, tx, "INSERT INTO AdInstalments (ContractId, Sequence, DueOn, Amount, Paid, PaidOn) VALUES ($p0,$p1,$p2,$p3,$p4,$p5)", 6);
        var start = new DateOnly(firstYear, 1, 10);
        var span = today.DayNumber - start.DayNumber;
        var perYear = new Dictionary<int, int>();
        var usedPages = new Dictionary<int, decimal>();
        var premiumTaken = new HashSet<(int Issue, AdPosition Position)>();
        var insertions = new List<(int Contract, int Line, int Issue, AdPosition Position, AdSize Size, DateOnly Signed)>(scale.Insertions + 1000);
        var nextIssue = new Dictionary<int, int>(); // first issue index per periodical still worth looking at (earlier ones are past a contract's start)
        var cumulative = 0.0;
        var weights = periodicals.Select(p => (p.Id, Cum: cumulative += shape[p.Id].Weight)).ToList();
        var instalments = 0;
        var printLines = new List<(int Line, int Contract, int Periodical, AdPosition Position, AdSize Size, int Qty, DateOnly Signed)>();
        for (var i = 0; i < scale.Contracts; i++)
        {
            var signed = start.AddDays((int)((long)i * span / scale.Contracts));
            var seller = rng.NextDouble() < 0.08 ? boardOwner.Id : reps[rng.Next(reps.Count)].Id;
            var account = rng.NextInt64(1, maxAccount + 1);
            var year = Math.Min(signed.Year, today.Year);
            var n = perYear[year] = perYear.GetValueOrDefault(year) + 1;
            var number = $"BJ{year}-{n:0000}";
            // Lines: mostly print (a periodical by its share of issues), premium positions rarely, the rest online, services or outdoor.
            var lines = new List<(int Product, string Description, AdUnit Unit, decimal Price, int Qty, decimal Card, decimal Extra, decimal Net, int? Periodical, AdPosition Position, AdSize Size)>();
            var count = rng.Next(1, 4);
            for (var k = 0; k < count; k++)
            {
                if (rng.NextDouble() < 0.9)
                {
                    var w = rng.NextDouble() * cumulative;
                    var pid = weights.First(x => w <= x.Cum).Id;
                    var premium = rng.NextDouble() < 0.04;
                    var (pos, sz) = premium ? ((AdPosition)rng.Next(1, 6), AdSize.Full) : (AdPosition.RunOfBook, (AdSize)new[] { 1, 2, 2, 3, 3, 3 }[rng.Next(6)]);
                    if (lines.Any(l => l.Periodical == pid && l.Position == pos && l.Size == sz)) continue;
                    var pr = products[(year, pid, pos, sz, AdMedium.Print)];
                    var qty = premium ? rng.Next(1, 5) : rng.Next(2, 13);
                    lines.Add((pr.Id, $"{titleOf[pid]} · {pr.Name}", pr.Unit, pr.Price, qty, 0, 0, 0, pid, pos, sz));
                }
                else
                {
                    var (medium, _, _, _, _) = other[rng.Next(other.Length)];
                    var pr = products.First(x => x.Key.Year == year && x.Key.Medium == medium).Value;
                    if (lines.Any(l => l.Product == pr.Id)) continue;
                    lines.Add((pr.Id, pr.Name, pr.Unit, pr.Price, rng.Next(1, 7), 0, 0, 0, null, AdPosition.RunOfBook, AdSize.Full));
                }
            }
            var gross = lines.Sum(l => l.Price * l.Qty);
            var extra = rng.NextDouble() < 0.3 ? rng.Next(1, 16) : 0;
            lines = lines.Select(l =>
            {
                var card = l.Qty >= 12 ? 15m : l.Qty >= 6 ? 10m : l.Qty >= 3 ? 5m : 0m;
                card = Math.Max(card, gross >= 500_000 ? 8m : gross >= 200_000 ? 5m : 0m);
                return l with { Card = card, Extra = extra, Net = CrmWorkspace.Features.Advertising.Pricing.Net(l.Price, l.Qty, card, extra) };
            }).ToList();
            var net = lines.Sum(l => l.Net);
            object?[] qv = [number, account, D(signed.AddDays(23)), seller, M(gross), M(net), M(extra), T(At(signed.AddDays(-7))), T(At(signed)), V()];
            for (var k = 0; k < qv.Length; k++) quote.Parameters[k].Value = qv[k] ?? DBNull.Value;
            var quoteId = (long)(await quote.ExecuteScalarAsync())!;
            object?[] cv = [number.Replace("BJ", "HT"), quoteId, account, seller, D(signed), M(net), T(At(signed, 14)), V()];
            for (var k = 0; k < cv.Length; k++) contract.Parameters[k].Value = cv[k] ?? DBNull.Value;
            var contractId = (int)(long)(await contract.ExecuteScalarAsync())!;
            // The payment plan: monthly instalments from signing. Long past ones are nearly all paid; recent ones less so: some overdue.
            var parts = new[] { 1, 2, 3, 3, 4, 6 }[rng.Next(6)];
            var each = Math.Round(net / parts, 2);
            for (var k = 0; k < parts; k++)
            {
                var due = signed.AddMonths(k);
                var amount = k == parts - 1 ? net - each * (parts - 1) : each;
                var age = today.DayNumber - due.DayNumber;
                var paidShare = age > 90 ? (rng.NextDouble() < 0.985 ? 1m : 0m) : age > 0 ? (rng.NextDouble() < 0.7 ? 1m : rng.NextDouble() < 0.2 ? 0.5m : 0m) : (rng.NextDouble() < 0.05 ? 1m : 0m);
                var paid = Math.Round(amount * paidShare, 2);
                object?[] iv = [contractId, k + 1, D(due), M(amount), M(paid), paid > 0 ? D(due.AddDays(rng.Next(-3, 25))) : null];
                for (var x = 0; x < iv.Length; x++) instalment.Parameters[x].Value = iv[x] ?? DBNull.Value;
                await instalment.ExecuteNonQueryAsync();
                instalments++;
            }
            foreach (var l in lines)
            {
                object?[] lv = [quoteId, l.Product, l.Description, (int)l.Unit, M(l.Price), l.Qty, $"{signed.AddDays(14):yyyy-MM} 起 from {signed.AddDays(14):yyyy-MM}", M(l.Card), M(l.Extra), M(l.Net)];
                for (var k = 0; k < lv.Length; k++) line.Parameters[k].Value = lv[k] ?? DBNull.Value;
                var lineId = (int)(long)(await line.ExecuteScalarAsync())!;
                if (l.Periodical is not { } pid) continue;
                printLines.Add((lineId, contractId, pid, l.Position, l.Size, l.Qty, signed));
                // Insertions into the periodical's issues from two weeks after signing, where space is left; a contract of the last
                // six weeks has only half its insertions scheduled yet (the rest is what the flatplan offers to place).
                var issues = issuesOf[pid];
                var want = today.DayNumber - signed.DayNumber < 42 ? (l.Qty + 1) / 2 : l.Qty;
                var from = signed.AddDays(14);
                var idx = nextIssue.GetValueOrDefault(pid);
                while (idx < issues.Count && issues[idx].On < from.AddDays(-60)) idx++;
                nextIssue[pid] = idx;
                while (idx < issues.Count && issues[idx].On < from) idx++;
                var pages = CrmWorkspace.Domain.AdInsertion.PagesOf(l.Size, l.Position);
                for (var placed = 0; placed < want && idx < issues.Count; idx++)
                {
                    var issue = issues[idx].Id;
                    if (l.Position != AdPosition.RunOfBook) { if (!premiumTaken.Add((issue, l.Position))) continue; }
                    else
                    {
                        var used = usedPages.GetValueOrDefault(issue);
                        if (used + pages > shape[pid].AdPages) continue;
                        usedPages[issue] = used + pages;
                    }
                    insertions.Add((contractId, lineId, issue, l.Position, l.Size, signed));
                    placed++;
                }
            }
            if ((i + 1) % 5_000 == 0) log.WriteLine($"  {i + 1:N0} contracts, {insertions.Count:N0} insertions");
        }

        // The benchmark issue: the weekly's next issue, 200 pages, every premium position sold and its run-of-book pages exactly used.
        var weekly = periodicals[0].Id;
        var target = issuesOf[weekly].First(x => x.On > today).Id;
        var later = issuesOf[weekly].Where(x => x.On > today).Skip(1).Select(x => x.Id).ToHashSet();
        var inTarget = insertions.Where(x => x.Issue == target).Select(x => x.Line).ToHashSet();
        foreach (var pos in FlatplanPositions)
        {
            if (premiumTaken.Contains((target, pos))) continue;
            var k = insertions.FindIndex(x => x.Position == pos && later.Contains(x.Issue) && !inTarget.Contains(x.Line));
            if (k >= 0)
            {
                premiumTaken.Remove((insertions[k].Issue, pos));
                insertions[k] = insertions[k] with { Issue = target };
            }
            else
            {
                // None sold further ahead: a contract line of this position with an insertion still to place takes it.
                var placedOf = insertions.Where(x => x.Position == pos).GroupBy(x => x.Line).ToDictionary(g => g.Key, g => g.Count());
                var open = printLines.LastOrDefault(x => x.Periodical == weekly && x.Position == pos && x.Signed < today && placedOf.GetValueOrDefault(x.Line) < x.Qty);
                if (open.Line == 0) continue;
                insertions.Add((open.Contract, open.Line, target, pos, AdSize.Full, open.Signed));
            }
            premiumTaken.Add((target, pos));
            inTarget.Add(insertions[k >= 0 ? k : ^1].Line);
        }
        var robTarget = usedPages.GetValueOrDefault(target);
        // Fill the run-of-book space from the following issues (ads moved forward), then drop the fraction so used == ad pages.
        for (var k = 0; k < insertions.Count && robTarget < shape[weekly].AdPages; k++)
        {
            var x = insertions[k];
            if (x.Position != AdPosition.RunOfBook || !later.Contains(x.Issue) || inTarget.Contains(x.Line)) continue;
            var p = CrmWorkspace.Domain.AdInsertion.PagesOf(x.Size, x.Position);
            if (robTarget + p > shape[weekly].AdPages) continue;
            usedPages[x.Issue] -= p;
            robTarget += p;
            insertions[k] = x with { Issue = target };
            inTarget.Add(x.Line);
        }
        var targetAdPages = (int)Math.Floor(robTarget);
        while (robTarget > targetAdPages)
        {
            var k = insertions.FindLastIndex(x => x.Issue == target && x.Position == AdPosition.RunOfBook && x.Size != AdSize.Full);
            var p = CrmWorkspace.Domain.AdInsertion.PagesOf(insertions[k].Size, AdPosition.RunOfBook);
            robTarget -= p;
            insertions.RemoveAt(k);
        }

        // Short of the wanted count: lines with insertions left (not the last six weeks' contracts) are booked further ahead.
        if (insertions.Count < scale.Insertions)
        {
            var has = insertions.Select(x => (x.Line, x.Issue)).ToHashSet();
            var placedOf = insertions.GroupBy(x => x.Line).ToDictionary(g => g.Key, g => g.Count());
            foreach (var l in Enumerable.Reverse(printLines))
            {
                if (insertions.Count >= scale.Insertions) break;
                if (l.Position != AdPosition.RunOfBook || today.DayNumber - l.Signed.DayNumber < 42) continue;
                var left = l.Qty - placedOf.GetValueOrDefault(l.Line);
                var pages = CrmWorkspace.Domain.AdInsertion.PagesOf(l.Size, l.Position);
                foreach (var (issue, on) in issuesOf[l.Periodical])
                {
                    if (left <= 0 || insertions.Count >= scale.Insertions) break;
                    if (issue == target || on < l.Signed.AddDays(14) || has.Contains((l.Line, issue))) continue;
                    var used = usedPages.GetValueOrDefault(issue);
                    if (used + pages > shape[l.Periodical].AdPages) continue;
                    usedPages[issue] = used + pages;
                    insertions.Add((l.Contract, l.Line, issue, l.Position, l.Size, l.Signed));
                    left--;
                }
            }
        }
        // Over it: the oldest insertions (the first year's issues, long published) are left out.
        if (insertions.Count > scale.Insertions) insertions.RemoveRange(0, insertions.Count - scale.Insertions);

        var plan = Prepare(c, tx, "INSERT INTO AdIssuePlans (IssueId, Pages, AdPages) VALUES ($p0,$p1,$p2)", 3);
        foreach (var p in periodicals)
            foreach (var (id, _) in issuesOf[p.Id])
            {
                plan.Parameters[0].Value = id; plan.Parameters[1].Value = shape[p.Id].Pages; plan.Parameters[2].Value = id == target ? targetAdPages : shape[p.Id].AdPages;
                await plan.ExecuteNonQueryAsync();
            }
        var published = issuesOf.Values.SelectMany(x => x).ToDictionary(x => x.Id, x => x.On);
        var insertion = Prepare(c, tx, """
            INSERT INTO AdInsertions (ContractId, QuoteLineId, IssueId, Position, Size, Live, Status, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,1,$p5,$p6,$p7,$p8,$p7,0,$p9)
            """, 10);
        foreach (var x in insertions)
        {
            var on = published[x.Issue];
            var days = on.DayNumber - today.DayNumber;
            var status = days < 0 ? InsertionStatus.Published : days < 8 ? (rng.NextDouble() < 0.7 ? InsertionStatus.ProofApproved : InsertionStatus.MaterialReceived)
                : days < 30 ? (rng.NextDouble() < 0.5 ? InsertionStatus.Confirmed : InsertionStatus.MaterialReceived) : (rng.NextDouble() < 0.6 ? InsertionStatus.Reserved : InsertionStatus.Confirmed);
            object?[] v = [x.Contract, x.Line, x.Issue, (int)x.Position, (int)x.Size, (int)status, T(At(x.Signed, 15)), staffId, T(At(on.AddDays(-3))), V()];
            for (var k = 0; k < v.Length; k++) insertion.Parameters[k].Value = v[k] ?? DBNull.Value;
            await insertion.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        await Exec(c, "ANALYZE Opportunities; ANALYZE Quotes; ANALYZE QuoteLines; ANALYZE AdContracts; ANALYZE AdInstalments; ANALYZE AdInsertions; ANALYZE AdProducts; ANALYZE AdIssuePlans; ANALYZE PeriodicalIssues; PRAGMA wal_checkpoint(TRUNCATE);");
        log.WriteLine($"Advertising added in {sw.Elapsed.TotalSeconds:F0} s: {insertions.Count:N0} insertions, {instalments:N0} instalments; benchmark issue #{target} has {targetAdPages} ad pages, all sold");
        return sw.Elapsed;
    }

    private static readonly AdPosition[] FlatplanPositions = [AdPosition.FrontCover, AdPosition.InsideFrontCover, AdPosition.CentreSpread, AdPosition.InsideBackCover, AdPosition.BackCover];

    private static async Task<long> ScalarAsync(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync() is long n ? n : 0;
    }

    private static async Task<List<T>> RowsAsync<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> read, SqliteTransaction? tx = null)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add(read(r));
        return list;
    }

    private static async Task Exec(SqliteConnection c, string sql, SqliteTransaction tx)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
