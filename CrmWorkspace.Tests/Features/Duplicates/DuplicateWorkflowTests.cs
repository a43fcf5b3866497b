using System.Text;
using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.DemoData;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Features.Duplicates;

[Collection(AppCollection.Name)]
public class DuplicateWorkflowTests(AppFixture fx, ITestOutputHelper output)
{
    private async Task<int> AccountAsync(IServiceProvider sp, StaffIdentity me, string name, string? phone = null)
    {
        var r = await sp.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = name, Phone = phone, Province = "四川", City = "宜宾", OwnerId = me.Id }, me);
        Assert.True(r.Ok, r.Error);
        return r.Id!.Value;
    }

    [Fact]
    public async Task While_typing_a_variant_name_or_a_differently_written_phone_finds_the_stored_customer_with_reasons_and_who_works_it()
    {
        using var s = fx.Scope();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var id = await AccountAsync(s.ServiceProvider, wang, "四川宜宾岷江酿酒股份有限公司", "13800138000");
        await s.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(id, new ActivityInput { Kind = ActivityKind.Visit, Subject = "拜访岷江酿酒" }, wang);
        var finder = s.ServiceProvider.GetRequiredService<DuplicateFinder>();

        var byName = await finder.AccountsAsync(new AccountProbe("宜宾岷江酿酒有限公司"));
        var byPhone = await finder.AccountsAsync(new AccountProbe("某某公司", "0086 138-0013-8000"));
        var unrelated = await finder.AccountsAsync(new AccountProbe("黑龙江北大仓集团"));

        var hit = Assert.Single(byName, c => c.Id == id);
        Assert.Contains(hit.Reasons, r => r.Code is MatchReasonCodes.NameSimilar or MatchReasonCodes.SameName);
        Assert.Contains(hit.Work, w => w.LastAuthorId == wang.Id);
        Assert.Equal("王磊", hit.OwnerName);
        var phoneHit = Assert.Single(byPhone, c => c.Id == id);
        Assert.True(phoneHit.Exact);
        Assert.Contains(phoneHit.Reasons, r => r.Code == MatchReasonCodes.SamePhone && r.Detail == "+8613800138000");
        Assert.DoesNotContain(unrelated, c => c.Id == id);
    }

    [Fact]
    public async Task Contacts_are_found_by_a_phone_in_another_format_and_by_a_two_character_name_with_the_same_mobile()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("circulation@demo.local");
        var accountId = await AccountAsync(s.ServiceProvider, me, "泸州测试窖酒有限公司");
        var add = await s.ServiceProvider.GetRequiredService<ContactService>().AddAsync(accountId,
            new ContactInput { Name = "赵敏", Phones = [new PhoneInput { Number = "13900139001" }], Emails = [new EmailInput { Address = "zhaomin@example.cn" }] }, me);
        Assert.True(add.Ok);
        var finder = s.ServiceProvider.GetRequiredService<DuplicateFinder>();

        var samePhone = await finder.ContactsAsync(new ContactProbe("赵 敏", ["0086 139-0013-9001"]));
        var sameEmail = await finder.ContactsAsync(new ContactProbe("Zhao Min", Emails: ["ZhaoMin@Example.cn "]));
        var otherPerson = await finder.ContactsAsync(new ContactProbe("钱多多", ["13700137000"]));

        Assert.Contains(samePhone, c => c.Id == add.Id && c.Exact && c.Detail == "泸州测试窖酒有限公司");
        Assert.Contains(sameEmail, c => c.Id == add.Id && c.Reasons.Any(r => r.Code == MatchReasonCodes.SameEmail));
        Assert.DoesNotContain(otherPerson, c => c.Id == add.Id);
    }

    private static async Task<Dictionary<string, string>> RowsAsync(CrmDbContext db, int a, int b)
    {
        // Every row that belongs to either account, serialised field by field, keyed by table and id.
        var rows = new Dictionary<string, string>();
        void Add<T>(string table, IEnumerable<T> items, Func<T, object> key) where T : class
        {
            // An account's tier is not the merge's to restore: the value score computes it (Features/KeyCustomers) and may rewrite
            // it at any moment from the customer's records; the undo of those records is what is compared.
            foreach (var x in items) rows[$"{table}:{key(x)}"] = JsonSerializer.Serialize(db.Entry(x).CurrentValues.Properties
                .Where(p => !(x is Account && p.Name == nameof(Account.Tier))).ToDictionary(p => p.Name, p => db.Entry(x).CurrentValues[p]?.ToString()));
        }
        Add("Account", await db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a || x.Id == b || x.ParentId == a || x.ParentId == b).ToListAsync(), x => x.Id);
        var contacts = await db.Contacts.IgnoreQueryFilters().Where(x => x.AccountId == a || x.AccountId == b).ToListAsync();
        Add("Contact", contacts, x => x.Id);
        var contactIds = contacts.Select(c => c.Id).ToList();
        Add("Phone", await db.Set<ContactPhone>().Where(p => contactIds.Contains(p.ContactId)).ToListAsync(), x => x.Id);
        Add("Activity", await db.Activities.IgnoreQueryFilters().Where(x => x.AccountId == a || x.AccountId == b).ToListAsync(), x => x.Id);
        Add("Subscription", await db.Subscriptions.IgnoreQueryFilters().Where(x => x.AccountId == a || x.AccountId == b).ToListAsync(), x => x.Id);
        Add("TeamTouch", await db.TeamTouches.Where(x => x.AccountId == a || x.AccountId == b).ToListAsync(), x => $"{x.AccountId}/{x.TeamId}");
        return rows;
    }

    [Fact]
    public async Task Merging_two_accounts_moves_every_child_to_the_survivor_and_undo_restores_both_exactly()
    {
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        var wang = await fx.StaffAsync("marketing@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        var keep = await AccountAsync(sp, wang, "宜宾合并测试酒业有限公司", "0831-8230001");
        var gone = await AccountAsync(sp, lina, "宜宾合并测试酒业公司", "0831-8230002");
        var contacts = sp.GetRequiredService<ContactService>();
        var timeline = sp.GetRequiredService<TimelineService>();
        foreach (var (acc, who, names) in new[] { (keep, wang, new[] { "孙建国", "周丽" }), (gone, lina, new[] { "吴海", "郑洁", "冯涛" }) })
            foreach (var n in names)
            {
                Assert.True((await contacts.AddAsync(acc, new ContactInput { Name = n, Phones = [new PhoneInput { Number = "1390000" + Random.Shared.Next(1000, 9999) }] }, who)).Ok);
                Assert.True((await timeline.LogAsync(acc, new ActivityInput { Kind = ActivityKind.Call, Subject = $"电话：{n}" }, who)).Ok);
            }
        var branch = await AccountAsync(sp, lina, "宜宾合并测试酒业公司成都办事处");
        await using (var db = await fx.DbAsync()) await db.Accounts.Where(a => a.Id == branch).ExecuteUpdateAsync(u => u.SetProperty(a => a.ParentId, gone));
        Dictionary<string, string> before;
        int goneContacts, goneActivities;
        await using (var db = await fx.DbAsync())
        {
            before = await RowsAsync(db, keep, gone);
            goneContacts = await db.Contacts.CountAsync(c => c.AccountId == gone);
            goneActivities = await db.Activities.CountAsync(x => x.AccountId == gone);
        }
        var keepContactsBefore = before.Keys.Count(k => k.StartsWith("Contact:")) - goneContacts;

        var merges = sp.GetRequiredService<MergeService>();
        var merged = await merges.MergeAccountsAsync(keep, gone, [nameof(Account.Phone)], wang);

        Assert.True(merged.Ok, merged.Error);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(keepContactsBefore + goneContacts, await db.Contacts.CountAsync(c => c.AccountId == keep));
            Assert.Equal(0, await db.Contacts.IgnoreQueryFilters().CountAsync(c => c.AccountId == gone));
            Assert.True(await db.Activities.CountAsync(x => x.AccountId == keep) >= goneActivities + 2);
            Assert.Equal(keep, (await db.Accounts.SingleAsync(a => a.Id == branch)).ParentId);
            var tomb = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == gone);
            Assert.True(tomb.IsDeleted);
            Assert.Equal(keep, tomb.MergedIntoId);
            Assert.Equal("0831-8230002", (await db.Accounts.SingleAsync(a => a.Id == keep)).Phone);
            Assert.True(await db.Activities.AnyAsync(x => x.AccountId == keep && x.SystemEvent == "account.merged"));
            Assert.Contains(await db.TeamTouches.Where(t => t.AccountId == keep).Select(t => t.TeamId).ToListAsync(), t => t == lina.TeamId);
        }

        var undone = await merges.UndoAsync(merged.MergeId!.Value, wang);

        Assert.True(undone.Ok, undone.Error);
        await using (var db = await fx.DbAsync())
        {
            var after = await RowsAsync(db, keep, gone);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (key, value) in before) Assert.True(value == after[key], $"{key} differs:\n before {value}\n after  {after[key]}");
        }
        Assert.False((await merges.UndoAsync(merged.MergeId.Value, wang)).Ok);
    }

    [Fact]
    public async Task Importing_ten_thousand_rows_with_five_percent_bad_keeps_the_good_and_reports_every_bad_row_by_line()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("admin@demo.local");
        var gen = new DemoDataGenerator(new DemoDataSize(Accounts: 10_000, BranchShare: 0, Seed: 99));
        var companies = gen.Companies([me.Id]).Select(c => c.Head).Take(10_000).ToList();
        var csv = new StringBuilder("公司名称,省份,城市,地址,电话\n");
        var bad = new Dictionary<int, string>();
        for (var i = 0; i < companies.Count; i++)
        {
            var a = companies[i];
            if (!CrmWorkspace.Domain.Normalization.PhoneNormalizer.IsValid(a.Phone)) a.Phone = gen.Mobile();
            var line = i + 2;
            switch (i % 40)
            {
                case 7: csv.Append($",{a.Province},{a.City},{a.Address},{a.Phone}\n"); bad[line] = "name"; break;
                case 27: csv.Append($"\"{a.Name}\",{a.Province},{a.City},{a.Address},12345\n"); bad[line] = "phone"; break;
                default: csv.Append($"\"{a.Name}\",{a.Province},{a.City},\"{a.Address}\",{a.Phone}\n"); break;
            }
        }
        int before;
        await using (var db = await fx.DbAsync()) before = await db.Accounts.IgnoreQueryFilters().CountAsync();
        var progress = new List<(int, int)>();

        var result = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv.ToString()), ImportKind.Accounts, me,
            new SyncProgress<(int, int)>(progress.Add));

        Assert.True(result.Ok, result.Error);
        foreach (var r in result.Rejected.Where(r => !bad.ContainsKey(r.Line)).Take(5)) output.WriteLine($"unexpected rejection line {r.Line}: {r.Reason}");
        Assert.Equal(9_500, result.Created + result.Linked);
        Assert.Equal(bad.Keys.Order(), result.Rejected.Select(r => r.Line).Order());
        Assert.All(result.Rejected.Where(r => bad[r.Line] == "phone"), r => Assert.Contains("12345", r.Reason));
        await using (var db = await fx.DbAsync()) Assert.Equal(before + 9_500, await db.Accounts.IgnoreQueryFilters().CountAsync());
        Assert.Equal((10_000, 10_000), progress[^1]);
        output.WriteLine($"created {result.Created}, linked {result.Linked}, rejected {result.Rejected.Count}");
    }

    [Fact]
    public async Task A_gb18030_file_imports_its_chinese_names_and_an_unreadable_file_imports_nothing()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("admin@demo.local");
        var import = s.ServiceProvider.GetRequiredService<CsvImport>();
        var gb = Encoding.GetEncoding("GB18030");
        var file = gb.GetBytes("公司,姓名,手机,邮编\n贵州国标编码测试酒厂,欧阳菁菁,13512345678,550001\n贵州国标编码测试酒厂,司马懿,,550002\n");
        int before;
        await using (var db = await fx.DbAsync()) before = await db.Contacts.IgnoreQueryFilters().CountAsync();

        var ok = await import.ImportAsync(file, ImportKind.Contacts, me);
        var binary = await import.ImportAsync([0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF, 0xFE, 0x00, 0x81, 0x00], ImportKind.Contacts, me);
        var noHeader = await import.ImportAsync(Encoding.UTF8.GetBytes("foo,bar\n1,2\n"), ImportKind.Contacts, me);

        Assert.True(ok.Ok, ok.Error);
        Assert.Equal("GB18030", ok.Encoding);
        await using (var db = await fx.DbAsync())
        {
            Assert.True(await db.Contacts.AnyAsync(c => c.Name == "欧阳菁菁" && c.PostalCode == "550001" && c.Phones.Any(p => p.E164 == "+8613512345678")));
            Assert.Equal(before + 2, await db.Contacts.IgnoreQueryFilters().CountAsync());
        }
        Assert.False(binary.Ok);
        Assert.False(string.IsNullOrWhiteSpace(binary.Error));
        Assert.False(noHeader.Ok);
        await using (var db = await fx.DbAsync()) Assert.Equal(before + 2, await db.Contacts.IgnoreQueryFilters().CountAsync());
    }

    /// <summary>Reports progress on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T> { public void Report(T value) => report(value); }
}
