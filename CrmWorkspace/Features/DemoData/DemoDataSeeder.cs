using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>Settings of the "Demo" section: demo mode seeds one user per team, an admin and a small trade.</summary>
public class DemoOptions
{
    public bool Enabled { get; set; }
    public int Accounts { get; set; } = 300;
    public int Seed { get; set; } = 2026;
    /// <summary>The one password of every demo user (demo mode only; listed in the README).</summary>
    public string Password { get; set; } = "Demo-2026";
    /// <summary>The moment the demo history leads up to (default: start-up); fixed, two runs write the same rows.</summary>
    public DateTimeOffset? Now { get; set; }
}

/// <summary>The demo sign-ins: one per team plus an admin.</summary>
public static class DemoStaff
{
    public static readonly (string Email, string Name, int? TeamId, string Role)[] Users =
    [
        ("admin@demo.local", "管理员 Admin", null, Roles.Administrator),
        ("marketing@demo.local", "王磊", 1, Roles.Manager),
        ("circulation@demo.local", "李娜", 2, Roles.Sales),
        ("fair@demo.local", "张伟", 3, Roles.Sales),
        ("news@demo.local", "刘洋", 4, Roles.Sales),
        ("service@demo.local", "陈静", 5, Roles.Sales),
        ("finance@demo.local", "周芳", null, Roles.Finance),
    ];
}

/// <summary>Writes demo staff and demo customers into an empty database.</summary>
public class DemoDataSeeder(IDbContextFactory<CrmDbContext> dbs, IServiceScopeFactory scopes, ILogger<DemoDataSeeder> log)
{
    public async Task SeedStaffAsync(string password)
    {
        using var scope = scopes.CreateScope();
        var admin = scope.ServiceProvider.GetRequiredService<StaffAdminService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        await admin.EnsureRolesAsync();
        foreach (var (email, name, team, role) in DemoStaff.Users)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var result = await admin.CreateFirstAsync(new NewStaff(email, name, password, team, role));
            if (!result.Ok) throw new InvalidOperationException($"Demo user {email}: {result.Problem}");
        }
    }

    /// <summary>How many of the demo customers go by English names.</summary>
    public static int EnglishShare(int accounts) => accounts < 10 ? 0 : Math.Clamp(accounts / 60, 1, TradeVocabulary.ForeignCompanies.Length);

    /// <summary>
    /// Adds generated customers when there are none, then plants a few likely duplicates;
    /// returns how many accounts were written and the ids of the planted duplicates.
    /// </summary>
    public async Task<(int Written, IReadOnlySet<int> Planted)> SeedCustomersAsync(DemoDataSize size, CancellationToken ct = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var check = await dbs.CreateDbContextAsync(ct))
            if (await check.Accounts.IgnoreQueryFilters().AnyAsync(ct)) return (0, new HashSet<int>());
        List<string> owners;
        await using (var db0 = await dbs.CreateDbContextAsync(ct))
            owners = await db0.Users.Where(u => u.TeamId != null).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync(ct);
        var english = EnglishShare(size.Accounts);
        var generator = new DemoDataGenerator(size with { Accounts = size.Accounts - english });
        var written = 0;
        var batch = new List<(Account Head, List<Account> Branches)>();
        foreach (var company in generator.Companies(owners))
        {
            batch.Add(company);
            if (batch.Count >= 500) { written += await WriteAsync(batch, generator, ct); batch.Clear(); }
        }
        batch.AddRange(generator.EnglishCompanies(english, owners).Select(a => (a, new List<Account>())));
        var firstEnglish = batch.Count - english;
        written += await WriteAsync(batch, generator, ct, firstEnglish);
        var writing = clock.Elapsed;
        var planted = await PlantDuplicatesAsync(generator, ct);
        log.LogInformation("Demo data: {Accounts} accounts written in {Write:0.0} s, {Planted} likely duplicates planted in {Plant:0.0} s",
            written, writing.TotalSeconds, planted.Count, (clock.Elapsed - writing).TotalSeconds);
        return (written, planted);
    }

    private async Task<int> WriteAsync(List<(Account Head, List<Account> Branches)> batch, DemoDataGenerator generator, CancellationToken ct, int englishFrom = int.MaxValue)
    {
        if (batch.Count == 0) return 0;
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var (head, branches) = batch[i];
            head.Contacts = generator.Contacts(head);
            if (i >= englishFrom) head.Contacts[0].Name = generator.EnglishName();
            head.CreatedBy = head.UpdatedBy = head.OwnerId;
            foreach (var b in branches)
            {
                b.Parent = head;
                b.Contacts = generator.Contacts(b, 1);
                b.CreatedBy = b.UpdatedBy = b.OwnerId;
            }
            db.Accounts.Add(head);
            db.Accounts.AddRange(branches);
        }
        // Stamps come from the generator (spread over past years), so skip the live save path's stamping.
        await db.Database.BeginTransactionAsync(ct);
        await db.BaseSaveChangesAsync(ct);
        await db.Database.CommitTransactionAsync(ct);
        return batch.Sum(b => 1 + b.Branches.Count);
    }

    /// <summary>
    /// What happens in every CRM: a branch typed in again as a new customer (short name, phone written another way),
    /// and a key contact entered twice with a reformatted mobile. The scan and the while-typing warning find both.
    /// </summary>
    private async Task<IReadOnlySet<int>> PlantDuplicatesAsync(DemoDataGenerator generator, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var planted = new HashSet<int>();
        var typist = await db.Users.Where(u => u.TeamId == (int)TeamCode.Circulation).OrderBy(u => u.Email).Select(u => u.Id).FirstOrDefaultAsync(ct)
                     ?? await db.Users.Where(u => u.TeamId != null).OrderBy(u => u.Email).Select(u => u.Id).FirstOrDefaultAsync(ct);
        var original = await db.Accounts.Include(a => a.Contacts).ThenInclude(c => c.Phones)
                           .Where(a => a.ParentId != null && a.Phone != null && a.OwnerId != typist).OrderBy(a => a.Id).FirstOrDefaultAsync(ct)
                       ?? await db.Accounts.Include(a => a.Contacts).ThenInclude(c => c.Phones)
                           .Where(a => a.Phone != null && a.OwnerId != typist).OrderBy(a => a.Id).FirstOrDefaultAsync(ct);
        var when = generator.Now.ToUniversalTime().AddDays(-9);
        if (original is not null)
        {
            var copy = new Account
            {
                // Typed in a hurry: the short name, no region, the phone as read out on the call.
                Name = original.ShortName ?? original.Name, Address = original.Address,
                Phone = Reformat(original.Phone!), PhoneE164 = original.PhoneE164, Stage = original.Stage, BusinessType = original.BusinessType,
                ProductLines = original.ProductLines, Tier = AccountTier.D, Status = AccountStatus.Prospect, OwnerId = typist, IntendsToSubscribe = true,
                CreatedAt = when, UpdatedAt = when, CreatedBy = typist, UpdatedBy = typist, Version = Guid.NewGuid(),
            };
            var person = original.Contacts.OrderBy(c => c.Id).FirstOrDefault();
            if (person?.Phones.FirstOrDefault() is { } phone)
            {
                var again = new Contact { Name = person.Name, Title = person.Title, CreatedAt = when, UpdatedAt = when, CreatedBy = typist, UpdatedBy = typist, Version = Guid.NewGuid() };
                again.Phones.Add(new ContactPhone { Number = Reformat(phone.Number), E164 = phone.E164, Kind = phone.Kind });
                copy.Contacts.Add(again);
            }
            db.Accounts.Add(copy);
        }
        // A key contact of a big customer entered a second time by another team, the mobile typed with +86 and spaces.
        var twice = await db.Contacts.Include(c => c.Phones).Where(c => c.IsKeyContact && c.Account!.ParentId == null && c.Account.Tier <= AccountTier.B && c.Phones.Any(p => p.Kind == PhoneKind.Mobile))
            .OrderBy(c => c.Id).FirstOrDefaultAsync(ct);
        Contact? second = null;
        if (twice is not null)
        {
            var mobile = twice.Phones.First(p => p.Kind == PhoneKind.Mobile);
            var news = await db.Users.Where(u => u.TeamId == (int)TeamCode.News).Select(u => u.Id).FirstOrDefaultAsync(ct) ?? typist;
            second = new Contact
            {
                AccountId = twice.AccountId, Name = twice.Name, Title = twice.Title, Department = twice.Department, Birthday = twice.Birthday,
                CreatedAt = when.AddDays(-5), UpdatedAt = when.AddDays(-5), CreatedBy = news, UpdatedBy = news, Version = Guid.NewGuid(),
            };
            second.Phones.Add(new ContactPhone { Number = Reformat(mobile.Number), E164 = mobile.E164, Kind = PhoneKind.Mobile });
            db.Contacts.Add(second);
        }
        await db.BaseSaveChangesAsync(ct);
        foreach (var a in db.ChangeTracker.Entries<Account>().Where(e => e.Entity.CreatedAt == when)) planted.Add(a.Entity.Id);
        return planted;
    }

    /// <summary>The same number as someone else would type it: "+86 138 1234 5678", "(028) 8555 1234".</summary>
    public static string Reformat(string number)
    {
        var digits = new string(number.Where(char.IsDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '1') return $"+86 {digits[..3]} {digits[3..7]} {digits[7..]}";
        var dash = number.IndexOf('-');
        if (dash > 0)
        {
            var local = number[(dash + 1)..];
            return $"({number[..dash]}) {local[..(local.Length / 2)]} {local[(local.Length / 2)..]}";
        }
        return "+86 " + digits.TrimStart('0');
    }
}

/// <summary>Demo fairs: last autumn's (with exhibitors to rebook) and next spring's in Chengdu, with halls, booths and bookings.</summary>
public class DemoFairSeeder(IDbContextFactory<CrmDbContext> dbs, IServiceScopeFactory scopes)
{
    public async Task SeedAsync(int seed, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Fairs.IgnoreQueryFilters().AnyAsync(ct) || !await db.Accounts.AnyAsync(ct)) return;
        var fairUser = await db.Users.Where(u => u.TeamId == 3).OrderBy(u => u.Email).FirstOrDefaultAsync(ct);
        if (fairUser is null) return;
        // Past bookings carried over with their discounts and payments: entered with a manager's rights (approve, record payments).
        var actor = new StaffIdentity(fairUser.Id, fairUser.DisplayName, fairUser.TeamId, false, true);
        var exhibitors = await db.Accounts.Where(a => a.ParentId == null && a.IntendsToExhibit).OrderBy(a => a.Id).Select(a => a.Id).Take(40).ToListAsync(ct);
        using var scope = scopes.CreateScope();
        var fairs = scope.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Fairs.FairService>();
        var today = DateOnly.FromDateTime(now.ToLocalTime().Date);
        var autumn = new Fair { Name = "第113届全国糖酒商品交易会（秋季）", City = "深圳", Venue = "深圳国际会展中心", StartsOn = today.AddDays(-40), EndsOn = today.AddDays(-38), Status = FairStatus.Finished };
        var spring = new Fair { Name = "第114届全国糖酒商品交易会（春季）", City = "成都", Venue = "中国西部国际博览城", StartsOn = today.AddDays(120), EndsOn = today.AddDays(122), BookingDeadline = today.AddDays(90) };
        var rng = new Random(seed);
        foreach (var (fair, share) in new[] { (autumn, 0.6), (spring, 0.3) })
        {
            await fairs.CreateFairAsync(fair, actor, ct);
            await fairs.AddHallAsync(fair.Id, "1号馆", "A", "D", 1, 20, 9, BoothType.Standard, 12_800, actor, ct);
            await fairs.AddHallAsync(fair.Id, "2号馆", "A", "C", 1, 12, 18, BoothType.Corner, 24_000, actor, ct);
            var booths = await db.Booths.Where(b => b.FairId == fair.Id).OrderBy(b => b.Code).Select(b => b.Id).ToListAsync(ct);
            foreach (var account in exhibitors.Where(_ => rng.NextDouble() < share))
            {
                var boothId = booths[rng.Next(booths.Count)];
                var status = (BookingStatus)new[] { 2, 3, 4, 5 }[rng.Next(4)];
                var price = 12_800m;
                await fairs.RecordPastBookingAsync(fair.Id, new CrmWorkspace.Features.Fairs.BookingInput
                {
                    AccountId = account, BoothIds = [boothId], Status = status, HoldDays = 14,
                    Paid = status == BookingStatus.PaidInFull ? price : status == BookingStatus.DepositPaid ? 3_000 : 0,
                    Deposit = status >= BookingStatus.DepositPaid ? 3_000 : 0,
                    Services = rng.NextDouble() < 0.5 ? AgencyServices.FasciaBoard | AgencyServices.Furniture : AgencyServices.None,
                }, actor, ct);
            }
        }
    }
}

/// <summary>Demo circulation: three periodicals with this year's issues, and subscriptions ending around today so the renewal desk has work.</summary>
public class DemoSubscriptionSeeder(IDbContextFactory<CrmDbContext> dbs)
{
    /// <summary>The demo periodicals (title, code, frequency, issues per year, annual price).</summary>
    public static readonly (string Title, string Code, IssueFrequency Frequency, int Issues, decimal Price, string? Special)[] Titles =
    [
        ("糖酒快讯", "TJKX", IssueFrequency.Weekly, 50, 480m, "春季糖酒会特刊, 秋季糖酒会特刊"),
        ("华糖商情", "HTSQ", IssueFrequency.Monthly, 12, 360m, null),
        ("中国酒业观察", "JYGC", IssueFrequency.Quarterly, 4, 200m, "年度白酒百强专辑"),
    ];

    public async Task SeedAsync(int seed, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        if (await db.Periodicals.IgnoreQueryFilters().AnyAsync(ct) || !await db.Accounts.AnyAsync(ct)) return;
        var seller = await db.Users.Where(u => u.TeamId == 2).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync(ct);
        var today = DateOnly.FromDateTime(now.ToLocalTime().Date);
        var periodicals = Titles.Select(t => new Periodical { Title = t.Title, Code = t.Code, Frequency = t.Frequency, IssuesPerYear = t.Issues, AnnualPrice = t.Price, SpecialIssues = t.Special }).ToList();
        db.Periodicals.AddRange(periodicals);
        await db.SaveChangesAsync(ct);
        foreach (var p in periodicals)
            foreach (var year in new[] { today.Year - 1, today.Year, today.Year + 1 })
                db.PeriodicalIssues.AddRange(CrmWorkspace.Features.Subscriptions.PeriodicalService.Schedule(p, year)
                    .Select(x => new PeriodicalIssue { PeriodicalId = p.Id, Number = x.Number, PublishedOn = x.Date }));
        var customers = await db.Accounts.OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.IntendsToSubscribe, a.Address, Contact = a.Contacts.OrderByDescending(c => c.IsKeyContact).ThenBy(c => c.Id).Select(c => (int?)c.Id).FirstOrDefault() })
            .ToListAsync(ct);
        var rng = new Random(seed);
        foreach (var c in customers.Where(c => c.IntendsToSubscribe || rng.NextDouble() < 0.4))
        {
            foreach (var p in periodicals.Where((_, i) => i == 0 || rng.NextDouble() < 0.35))
            {
                var ends = today.AddDays(rng.Next(-120, 330));
                var starts = ends.AddDays(1).AddMonths(-12);
                var copies = rng.NextDouble() < 0.8 ? 1 : rng.Next(2, 6);
                var price = p.AnnualPrice * copies;
                var salesperson = seller.Count == 0 ? null : seller[rng.Next(seller.Count)];
                // Sold a few days before the period starts, by the salesperson (demo rows carry their own stamps).
                var sold = new DateTimeOffset(starts.AddDays(-7).ToDateTime(new TimeOnly(10, 0)), TimeZoneInfo.Local.GetUtcOffset(now.LocalDateTime)).ToUniversalTime();
                db.Subscriptions.Add(new Subscription
                {
                    AccountId = c.Id, ContactId = c.Contact, PeriodicalId = p.Id, DeliveryAddress = c.Address, Copies = copies, StartsOn = starts, EndsOn = ends,
                    Price = price, Paid = rng.NextDouble() < 0.9 ? price : 0, Channel = (SubscriptionChannel)rng.Next(1, 6),
                    SalespersonId = salesperson, CreatedAt = sold, UpdatedAt = sold, CreatedBy = salesperson, UpdatedBy = salesperson, Version = Guid.NewGuid(),
                });
            }
        }
        await db.BaseSaveChangesAsync(ct);
    }
}

public static class DemoDataSetup
{
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<DemoOptions>(config.GetSection("Demo"));
        services.AddSingleton<DemoDataSeeder>();
        services.AddSingleton<DemoFairSeeder>();
        services.AddSingleton<DemoSubscriptionSeeder>();
        services.AddSingleton<DemoHistorySeeder>();
        return services;
    }

    /// <summary>In demo mode, an empty database gets the demo users, a few hundred customers and a year of their history.</summary>
    public static async Task SeedDemoDataIfEnabledAsync(this IServiceProvider services)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;
        if (!options.Enabled) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var now = options.Now ?? DateTimeOffset.Now;
        var seeder = services.GetRequiredService<DemoDataSeeder>();
        await seeder.SeedStaffAsync(options.Password);
        var staffTime = clock.Elapsed;
        var (written, planted) = await seeder.SeedCustomersAsync(new DemoDataSize(Accounts: options.Accounts, Seed: options.Seed, Now: now));
        // Accounts = 0 asks for staff only (the benchmark brings its own customers): then no demo fairs, subscriptions or history either.
        if (options.Accounts <= 0 || written == 0) return;
        var customersTime = clock.Elapsed;
        await services.GetRequiredService<DemoFairSeeder>().SeedAsync(options.Seed, now);
        var fairsTime = clock.Elapsed;
        await services.GetRequiredService<DemoSubscriptionSeeder>().SeedAsync(options.Seed, now);
        var subscriptionsTime = clock.Elapsed;
        await services.GetRequiredService<DemoHistorySeeder>().SeedAsync(options.Seed, now, planted);
        await services.GetRequiredService<DemoTeamsSeeder>().SeedAsync(options.Password, now);
        await services.GetRequiredService<CrmWorkspace.Features.Advertising.DemoAdvertisingSeeder>().SeedAsync(options.Seed, now);
        await services.GetRequiredService<DemoTargetsSeeder>().SeedAsync(now);
        await DemoHistorySeeder.RebuildTouchesAsync(services.GetRequiredService<IDbContextFactory<CrmDbContext>>());
        // Last night's scan, as a company at work would have had: the review queue shows the planted duplicates on day one.
        await services.GetRequiredService<CrmWorkspace.Features.Duplicates.DuplicateScan>().RunAsync();
        await ActivatorUtilities.CreateInstance<DemoKeyCustomers>(services).SeedAsync(options.Seed, now);
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoDataSetup)).LogInformation(
            "Demo data: {Accounts} customers and their year seeded in {Seconds:0.0} s (staff {Staff:0.0} s, customers {Customers:0.0} s, fairs {Fairs:0.0} s, subscriptions {Subs:0.0} s, history {History:0.0} s; CPU used {Cpu:0.0} s)",
            written, clock.Elapsed.TotalSeconds, staffTime.TotalSeconds, (customersTime - staffTime).TotalSeconds, (fairsTime - customersTime).TotalSeconds,
            (subscriptionsTime - fairsTime).TotalSeconds, (clock.Elapsed - subscriptionsTime).TotalSeconds,
            (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }
}
