using System.Diagnostics;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.DemoData;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CrmWorkspace.Benchmarks;

/// <summary>Size of the scale dataset.</summary>
public record ScaleSize(int Accounts, int ContactsPerAccount, int Activities, int HeavyCustomers, int HeavyActivities, int Subscriptions, int Seed = 7)
{
    public static readonly ScaleSize Full = new(200_000, 5, 2_000_000, 3, 25_000, 300_000);
    public static readonly ScaleSize Quick = new(3_000, 5, 30_000, 1, 2_000, 6_000);
    public string FileName => $"crm-scale-{Accounts}-{Activities}.db";
}

/// <summary>
/// Builds the scale database once: the app's own migrations and staff (through the real start-up), then customers,
/// contacts and activities written with prepared SQLite commands in large transactions.
/// </summary>
public static partial class ScaleDataset
{
    private static readonly ValueConverter<DateTimeOffset, long> Time = new DateTimeOffsetToBinaryConverter();
    private static object T(DateTimeOffset v) => Time.ConvertToProvider(v)!;

    /// <summary>Returns the path of the dataset, building it if missing; the build time is reported.</summary>
    public static async Task<(string Path, TimeSpan? BuildTime)> EnsureAsync(string dataDir, ScaleSize size, TextWriter log)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, size.FileName);
        if (File.Exists(path)) return (path, null);
        var tmp = path + ".building";
        foreach (var f in Directory.GetFiles(dataDir, Path.GetFileName(tmp) + "*")) File.Delete(f);
        var sw = Stopwatch.StartNew();
        log.WriteLine($"Building {size} into {path} ...");
        // Schema, teams and demo staff come from the app's own start-up (migrations + demo staff, no demo customers).
        await using (var host = new BenchHost(tmp)) host.Start();
        SqliteConnection.ClearAllPools();
        await using (var c = new SqliteConnection($"Data Source={tmp};Pooling=False"))
        {
            await c.OpenAsync();
            await Exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-400000;");
            var staff = await StaffAsync(c);
            await WriteCustomersAsync(c, size, staff, log);
            await WriteActivitiesAsync(c, size, staff, log);
            await Exec(c, """
                INSERT INTO TeamTouches (AccountId, TeamId, LastActivityId, LastAt, LastAuthorId, LastSubject, LastKind, OpenFollowUps)
                SELECT AccountId, TeamId, Id, OccurredAt, AuthorId, Subject, Kind,
                       (SELECT COUNT(*) FROM Activities f WHERE f.AccountId = x.AccountId AND f.TeamId = x.TeamId AND f.FollowUpOn IS NOT NULL AND f.FollowUpDoneAt IS NULL)
                FROM (SELECT Id, AccountId, TeamId, OccurredAt, AuthorId, Subject, Kind,
                             ROW_NUMBER() OVER (PARTITION BY AccountId, TeamId ORDER BY OccurredAt DESC, Id DESC) AS rn
                      FROM Activities WHERE TeamId IS NOT NULL AND Kind <> 100) x
                WHERE rn = 1;
                """);
            await Exec(c, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
        }
        SqliteConnection.ClearAllPools();
        File.Move(tmp, path);
        foreach (var f in Directory.GetFiles(dataDir, Path.GetFileName(tmp) + "*")) File.Delete(f);
        log.WriteLine($"Built in {sw.Elapsed.TotalSeconds:F0} s");
        return (path, sw.Elapsed);
    }

    /// <summary>
    /// Adds the demo periodicals and the scale subscriptions unless present (also to a dataset built before subscriptions existed):
    /// periods of a year, ends spread evenly over the two years around today, so every day has renewals due.
    /// </summary>
    public static async Task<TimeSpan?> EnsureSubscriptionsAsync(string path, ScaleSize size, TextWriter log)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using (var check = c.CreateCommand())
        {
            check.CommandText = "SELECT COUNT(*) FROM Subscriptions";
            if ((long)(await check.ExecuteScalarAsync())! >= size.Subscriptions)
            {
                await DateSalesAsync(c, log);
                return null;
            }
        }
        var sw = Stopwatch.StartNew();
        log.WriteLine($"Adding {size.Subscriptions:N0} subscriptions ...");
        await Exec(c, "PRAGMA synchronous=OFF; DELETE FROM Dispatches; DELETE FROM Subscriptions; DELETE FROM PeriodicalIssues; DELETE FROM Periodicals;");
        var staff = await StaffAsync(c);
        var sellers = staff.Where(s => s.Team == 2).Select(s => s.Id).DefaultIfEmpty(staff[0].Id).ToList();
        long maxAccount;
        await using (var count = c.CreateCommand()) { count.CommandText = "SELECT MAX(Id) FROM Accounts"; maxAccount = (long)(await count.ExecuteScalarAsync())!; }
        await using var tx = c.BeginTransaction();
        var now = DateTimeOffset.UtcNow;
        var periodical = Prepare(c, tx, """
            INSERT INTO Periodicals (Title, Code, Frequency, IssuesPerYear, AnnualPrice, SpecialIssues, CreatedAt, UpdatedAt, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p6,0,$p7) RETURNING Id
            """, 8);
        var prices = new List<(long Id, decimal Price)>();
        foreach (var t in DemoSubscriptionSeeder.Titles)
        {
            object?[] v = [t.Title, t.Code, (int)t.Frequency, t.Issues, t.Price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), t.Special, T(now), Guid.NewGuid().ToString().ToUpperInvariant()];
            for (var i = 0; i < v.Length; i++) periodical.Parameters[i].Value = v[i] ?? DBNull.Value;
            prices.Add(((long)(await periodical.ExecuteScalarAsync())!, t.Price));
        }
        var insert = Prepare(c, tx, """
            INSERT INTO Subscriptions (AccountId, ContactId, PeriodicalId, DeliveryAddress, Copies, StartsOn, EndsOn, Price, Paid, Channel, SalespersonId,
              CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,(SELECT Id FROM Contacts WHERE AccountId = $p0 LIMIT 1),$p1,(SELECT Address FROM Accounts WHERE Id = $p0),$p2,$p3,$p4,$p5,$p5,$p6,$p7,$p8,$p7,$p8,$p7,0,$p9)
            """, 10);
        var rng = new Random(size.Seed + 1);
        var today = DateOnly.FromDateTime(DateTime.Today);
        for (var i = 0; i < size.Subscriptions; i++)
        {
            var (pid, price) = prices[rng.NextDouble() < 0.6 ? 0 : rng.Next(1, prices.Count)];
            var copies = rng.NextDouble() < 0.85 ? 1 : rng.Next(2, 6);
            var ends = today.AddDays(-365 + (int)((long)i * 730 / size.Subscriptions));
            object?[] v = [rng.NextInt64(1, maxAccount + 1), pid, copies, ends.AddDays(1).AddMonths(-12).ToString("yyyy-MM-dd"), ends.ToString("yyyy-MM-dd"),
                (price * copies).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), rng.Next(1, 6), sellers[rng.Next(sellers.Count)],
                T(SoldAt(i + 1, ends.AddDays(1).AddMonths(-12), now)), Guid.NewGuid().ToString().ToUpperInvariant()];
            for (var k = 0; k < v.Length; k++) insert.Parameters[k].Value = v[k] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            if ((i + 1) % 100_000 == 0) log.WriteLine($"  {i + 1:N0} subscriptions");
        }
        await tx.CommitAsync();
        await Exec(c, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
        log.WriteLine($"Subscriptions added in {sw.Elapsed.TotalSeconds:F0} s");
        return sw.Elapsed;
    }

    /// <summary>
    /// When a subscription was sold: up to 45 days before it starts (never after the build), at an office hour. Until 2026-12-04 the
    /// dataset stamped every subscription with the build's own time, so "this quarter" held all 300,000 of them.
    /// </summary>
    private static DateTimeOffset SoldAt(long id, DateOnly starts, DateTimeOffset now)
    {
        var h = (ulong)id * 2654435761UL;
        var sold = new DateTimeOffset(starts.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).AddDays(-(int)(h % 46)).AddMinutes((int)(h / 46 % 480));
        return sold < now ? sold : now;
    }

    /// <summary>
    /// A dataset built before subscriptions had sale dates (every one stamped with the build's time, then more than a month after it
    /// started) gets them in place, once: the same dates a new build writes (<see cref="SoldAt"/>). Subscriptions the benchmarks
    /// wrote (renewals, sold before they start) keep theirs.
    /// </summary>
    private static async Task DateSalesAsync(SqliteConnection c, TextWriter log)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new List<(long Id, DateOnly Starts, long CreatedAt)>();
        await using (var read = c.CreateCommand())
        {
            read.CommandText = "SELECT Id, StartsOn, CreatedAt FROM Subscriptions";
            await using var r = await read.ExecuteReaderAsync();
            while (await r.ReadAsync()) rows.Add((r.GetInt64(0), DateOnly.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(2)));
        }
        var late = rows.Where(x => (DateTimeOffset)Time.ConvertFromProvider(x.CreatedAt)! > new DateTimeOffset(x.Starts.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(31)).ToList();
        if (late.Count == 0) return;
        var sw = Stopwatch.StartNew();
        log.WriteLine($"Dating the sale of {late.Count:N0} subscriptions (stamped with the build's time) ...");
        await using var tx = c.BeginTransaction();
        var update = Prepare(c, tx, "UPDATE Subscriptions SET CreatedAt = $p0, UpdatedAt = $p0 WHERE Id = $p1", 2);
        foreach (var x in late)
        {
            update.Parameters[0].Value = T(SoldAt(x.Id, x.Starts, now));
            update.Parameters[1].Value = x.Id;
            await update.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        await Exec(c, "ANALYZE Subscriptions; PRAGMA wal_checkpoint(TRUNCATE);");
        log.WriteLine($"  dated in {sw.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<List<(string Id, int Team)>> StaffAsync(SqliteConnection c)
    {
        var list = new List<(string, int)>();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id, TeamId FROM AspNetUsers WHERE TeamId IS NOT NULL ORDER BY Email";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add((r.GetString(0), r.GetInt32(1)));
        return list;
    }

    private static async Task WriteCustomersAsync(SqliteConnection c, ScaleSize size, List<(string Id, int Team)> staff, TextWriter log)
    {
        var generator = new DemoDataGenerator(new DemoDataSize(Accounts: size.Accounts, ContactsPerAccount: size.ContactsPerAccount, Seed: size.Seed));
        await using var tx = c.BeginTransaction();
        var account = Prepare(c, tx, """
            INSERT INTO Accounts (Name, ShortName, ParentId, Stage, BusinessType, ProductLines, Province, City, Address, Phone, PhoneE164, Website, Tier, OwnerId, Status,
              IntendsToSubscribe, IntendsToExhibit, IntendsToAdvertise, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9,$p10,$p11,$p12,$p13,$p14,$p15,$p16,$p17,$p18,$p19,$p20,$p21,0,$p22) RETURNING Id
            """, 23);
        var contact = Prepare(c, tx, """
            INSERT INTO Contacts (AccountId, Name, Title, Department, Birthday, IsKeyContact, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9,0,$p10) RETURNING Id
            """, 11);
        var phone = Prepare(c, tx, "INSERT INTO ContactPhone (ContactId, Number, E164, Kind) VALUES ($p0,$p1,$p2,$p3)", 4);
        var email = Prepare(c, tx, "INSERT INTO ContactEmail (ContactId, Address) VALUES ($p0,$p1)", 2);
        var owners = staff.Select(s => s.Id).ToList();
        var n = 0;
        foreach (var (head, branches) in generator.Companies(owners))
        {
            var headId = await InsertAccountAsync(account, head, null);
            await InsertContactsAsync(contact, phone, email, headId, generator.Contacts(head), head);
            foreach (var b in branches)
            {
                var bid = await InsertAccountAsync(account, b, headId);
                await InsertContactsAsync(contact, phone, email, bid, generator.Contacts(b, 2), b);
            }
            n += 1 + branches.Count;
            if (n % 50_000 < 1 + branches.Count) log.WriteLine($"  {n:N0} accounts");
        }
        await tx.CommitAsync();
    }

    private static async Task<long> InsertAccountAsync(SqliteCommand cmd, Account a, long? parent)
    {
        object?[] v = [a.Name, a.ShortName, parent, (int?)a.Stage, (int?)a.BusinessType, (int)a.ProductLines, a.Province, a.City, a.Address, a.Phone, a.PhoneE164,
            a.Website, (int)a.Tier, a.OwnerId, (int)a.Status, a.IntendsToSubscribe, a.IntendsToExhibit, a.IntendsToAdvertise, T(a.CreatedAt), a.OwnerId,
            T(a.UpdatedAt), a.OwnerId, Guid.NewGuid().ToString().ToUpperInvariant()];
        for (var i = 0; i < v.Length; i++) cmd.Parameters[i].Value = v[i] ?? DBNull.Value;
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task InsertContactsAsync(SqliteCommand contact, SqliteCommand phone, SqliteCommand email, long accountId, List<Contact> contacts, Account a)
    {
        foreach (var p in contacts)
        {
            object?[] v = [accountId, p.Name, p.Title, p.Department, p.Birthday?.ToString("yyyy-MM-dd"), p.IsKeyContact, T(a.CreatedAt), a.OwnerId, T(a.UpdatedAt), a.OwnerId,
                Guid.NewGuid().ToString().ToUpperInvariant()];
            for (var i = 0; i < v.Length; i++) contact.Parameters[i].Value = v[i] ?? DBNull.Value;
            var id = (long)(await contact.ExecuteScalarAsync())!;
            foreach (var ph in p.Phones)
            {
                phone.Parameters[0].Value = id; phone.Parameters[1].Value = ph.Number; phone.Parameters[2].Value = ph.E164; phone.Parameters[3].Value = (int)ph.Kind;
                await phone.ExecuteNonQueryAsync();
            }
            foreach (var e in p.Emails)
            {
                email.Parameters[0].Value = id; email.Parameters[1].Value = e.Address;
                await email.ExecuteNonQueryAsync();
            }
        }
    }

    private static readonly string[] Subjects =
    [
        "电话回访：询问广告投放意向", "拜访总经理，介绍春季糖酒会展位", "征订电话：续订《糖酒快讯》", "采访：新品发布会", "邮件：发送广告刊例",
        "会议：年度合作洽谈", "糖酒会现场洽谈", "投诉：杂志未按时送达", "备注：客户更换采购负责人", "电话：确认展位面积和位置",
    ];

    private static async Task WriteActivitiesAsync(SqliteConnection c, ScaleSize size, List<(string Id, int Team)> staff, TextWriter log)
    {
        var rng = new Random(size.Seed);
        long accounts;
        await using (var count = c.CreateCommand()) { count.CommandText = "SELECT MAX(Id) FROM Accounts"; accounts = (long)(await count.ExecuteScalarAsync())!; }
        await using var tx = c.BeginTransaction();
        var insert = Prepare(c, tx, """
            INSERT INTO Activities (AccountId, TeamId, AuthorId, Kind, Subject, Outcome, OccurredAt, FollowUpOn, FollowUpAssigneeId, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p6,$p2,$p6,$p2,0,$p9)
            """, 10);
        var now = DateTimeOffset.UtcNow;
        var heavyTotal = size.HeavyCustomers * size.HeavyActivities;
        for (var i = 0; i < size.Activities; i++)
        {
            // The first accounts are the "heavy" customers with 20k+ entries each.
            long accountId = i < heavyTotal ? 1 + i / size.HeavyActivities : rng.NextInt64(1, accounts + 1);
            var (author, team) = staff[rng.Next(staff.Count)];
            var followUp = rng.NextDouble() < 0.02;
            object?[] v = [accountId, team, author, rng.Next(1, 10), Subjects[rng.Next(Subjects.Length)], rng.NextDouble() < 0.3 ? "已联系" : null,
                T(now.AddMinutes(-rng.Next(0, 3 * 365 * 24 * 60))), followUp ? DateOnly.FromDateTime(DateTime.Today.AddDays(rng.Next(-10, 30))).ToString("yyyy-MM-dd") : null,
                followUp ? author : null, Guid.NewGuid().ToString().ToUpperInvariant()];
            for (var k = 0; k < v.Length; k++) insert.Parameters[k].Value = v[k] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            if ((i + 1) % 500_000 == 0) log.WriteLine($"  {i + 1:N0} activities");
        }
        await tx.CommitAsync();
    }

    private static SqliteCommand Prepare(SqliteConnection c, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) cmd.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}", Value = DBNull.Value });
        cmd.Prepare();
        return cmd;
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}
