using System.Collections.Concurrent;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>Issue 19: a head office and its branch are linked from the queue, not merged; the administrator's known short names.</summary>
[Collection(AppCollection.Name)]
public class BranchLinkAndAliasTests(AppFixture fx)
{
    private static async Task<int> AccountAsync(IServiceProvider sp, StaffIdentity me, string name, string? address = null, string? city = "宜宾")
    {
        var r = await sp.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = name, Province = "四川", City = city, Address = address, OwnerId = me.Id }, me);
        Assert.True(r.Ok, r.Problem);
        return r.Id!.Value;
    }

    private static async Task<WorkspaceEvent> HeardAsync(ConcurrentQueue<WorkspaceEvent> heard, Func<WorkspaceEvent, bool> what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (heard.FirstOrDefault(what) is { } e) return e;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("The event was not published.");
    }

    [Fact]
    public async Task A_head_office_and_its_branch_are_labelled_in_the_queue_and_linked_by_a_manager_but_not_by_a_member()
    {
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        var wang = await fx.StaffAsync("marketing@demo.local");
        var li = await fx.StaffAsync("circulation@demo.local");
        var head = await AccountAsync(sp, wang, "四川链测蜀韵酒业有限公司");
        var finder = sp.GetRequiredService<DuplicateFinder>();
        var duplicates = sp.GetRequiredService<DuplicateService>();

        // Someone types the branch, sees the head office in the panel and goes on: the pair lands in the queue.
        var shown = await finder.AccountsAsync(new AccountProbe("四川链测蜀韵酒业有限公司成都分公司", City: "成都"));
        Assert.Contains(shown, c => c.Id == head && c.Reasons.Any(DuplicateFinder.IsBranch));
        var branch = await AccountAsync(sp, wang, "四川链测蜀韵酒业有限公司成都分公司", city: "成都");
        await duplicates.RecordGoOnAsync(RecordKind.Account, branch, shown.Where(c => c.Id == head).ToList(), null, wang);

        var pair = (await duplicates.GroupsAsync(RecordKind.Account, 500, involving: branch)).SelectMany(g => g.Pairs).Single(p => p.AId == Math.Min(head, branch) && p.BId == Math.Max(head, branch));
        Assert.Equal(head, pair.HeadId);
        Assert.Equal(branch, pair.BranchId);
        // The reasons name the parts that decided: the branch part and the trade name both share.
        Assert.Contains(pair.Reasons, r => r.Code == MatchReasonCodes.BranchOf && r.Detail == "成都分公司");
        Assert.Contains(pair.Reasons, r => r.Code == MatchReasonCodes.SameTradeName && r.Detail == "链测蜀韵");
        // An ordinary pair of two spellings of one company is not offered as a branch.
        Assert.Null(DuplicateService.BranchOf("四川链测蜀韵酒业有限公司", "四川链测蜀韵酒业公司"));

        var events = fx.Get<IWorkspaceEvents>();
        var heard = new ConcurrentQueue<WorkspaceEvent>();
        using var q = events.Subscribe(Topic.Scope(DuplicateService.Scope), e => { heard.Enqueue(e); return Task.CompletedTask; });
        using var c = events.Subscribe(Topic.Customer(head), e => { heard.Enqueue(e); return Task.CompletedTask; });

        // A member is refused, by the queue and by the customers service alike; nothing changes.
        var refused = await duplicates.LinkAsBranchAsync(pair.Id, li);
        Assert.False(refused.Ok);
        Assert.Equal("Only managers and administrators can link a customer as a branch.", refused.Error);
        var refusedDirect = await sp.GetRequiredService<AccountService>().LinkAsBranchAsync(branch, head, li);
        Assert.False(refusedDirect.Ok);
        Assert.Contains("managers", refusedDirect.Error);
        await using (var db = await fx.DbAsync())
        {
            Assert.Null((await db.Accounts.SingleAsync(a => a.Id == branch)).ParentId);
            Assert.Equal(DuplicateStatus.Open, (await db.DuplicatePairs.SingleAsync(p => p.Id == pair.Id)).Status);
        }

        // The manager links it: parent set, both timelines tell it, the pair leaves the queue, and the change is published.
        var linked = await duplicates.LinkAsBranchAsync(pair.Id, wang);
        Assert.True(linked.Ok, linked.Error);
        Assert.Equal((head, branch), (linked.HeadId, linked.BranchId));
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(head, (await db.Accounts.SingleAsync(a => a.Id == branch)).ParentId);
            var onBranch = await db.Activities.Where(a => a.AccountId == branch && a.SystemEvent == "account.changed").ToListAsync();
            Assert.Contains(onBranch, a => a.AuthorId == wang.Id
                && FieldChange.Parse(a.Data).Any(f => f.Field == "ParentId" && f.Before == null && f.After == "四川链测蜀韵酒业有限公司"));
            Assert.Contains(await db.Activities.Where(a => a.AccountId == head && a.SystemEvent == "branch.linked").ToListAsync(),
                a => a.Subject == "四川链测蜀韵酒业有限公司成都分公司");
            var stored = await db.DuplicatePairs.SingleAsync(p => p.Id == pair.Id);
            Assert.Equal(DuplicateStatus.LinkedAsBranch, stored.Status);
            Assert.Equal(wang.Id, stored.DecidedBy);
        }
        Assert.DoesNotContain((await duplicates.GroupsAsync(RecordKind.Account, 500, involving: branch)).SelectMany(g => g.Pairs), p => p.Id == pair.Id);
        await HeardAsync(heard, e => e.Kind == EventKind.BranchLinked && e.Scope == DuplicateService.Scope);
        await HeardAsync(heard, e => e.Kind == EventKind.BranchLinked && e.AccountId == head);

        // Linking the same pair again is refused with a reason: it has been decided.
        var again = await duplicates.LinkAsBranchAsync(pair.Id, wang);
        Assert.False(again.Ok);
        Assert.Equal("Someone else has already decided this pair.", again.Error);
    }

    [Fact]
    public async Task Typing_a_full_name_finds_the_record_kept_under_its_known_short_name_and_the_reverse()
    {
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        var wang = await fx.StaffAsync("marketing@demo.local");
        var finder = sp.GetRequiredService<DuplicateFinder>();
        const string street = "翠屏区简称测试路18号";
        var shortOnly = await AccountAsync(sp, wang, "中粮", street);
        var fullOnly = await AccountAsync(sp, wang, "广州医药集团有限公司", street);

        var byFull = await finder.AccountsAsync(new AccountProbe("中国粮油食品（集团）有限公司", Address: street, City: "宜宾"));
        var hit = Assert.Single(byFull, x => x.Id == shortOnly);
        Assert.Contains(hit.Reasons, r => r.Code == MatchReasonCodes.KnownShortName && r.Detail == "中粮");

        var byShort = await finder.AccountsAsync(new AccountProbe("广药", Address: street, City: "宜宾"));
        var back = Assert.Single(byShort, x => x.Id == fullOnly);
        Assert.Contains(back.Reasons, r => r.Code == MatchReasonCodes.KnownShortName && r.Detail == "广药");
    }

    [Fact]
    public async Task An_administrator_adds_a_short_name_and_typing_and_the_scan_pair_the_two_names_at_once()
    {
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        var admin = await fx.StaffAsync("admin@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");
        var li = await fx.StaffAsync("circulation@demo.local");
        var aliases = sp.GetRequiredService<CompanyAliasService>();
        var finder = sp.GetRequiredService<DuplicateFinder>();
        const string alias = "川茶测", full = "四川省蒙顶茶测集团股份有限公司";

        // The shipped list was seeded on first start.
        var listed = await aliases.ListAsync();
        Assert.Contains(listed, r => r.Alias == "中粮" && r.FullName == "中国粮油食品（集团）有限公司");
        Assert.True(listed.Count >= CompanyAliases.ShippedPairs.Count);

        var fullId = await AccountAsync(sp, wang, full, "名山区蒙顶山路1号");
        var shortId = await AccountAsync(sp, wang, alias, "雅安市区某处");
        Assert.DoesNotContain(await finder.AccountsAsync(new AccountProbe(alias)), x => x.Id == fullId);

        // Checked in the service: a member may not; validation names each field.
        var refused = await aliases.AddAsync(new AliasInput { Alias = alias, FullName = full }, li);
        Assert.False(refused.Ok);
        Assert.Equal("Only administrators can change the known short names.", refused.Error);
        var empty = await aliases.AddAsync(new AliasInput { Alias = " ", FullName = "" }, admin);
        Assert.Equal("The short name is required.", empty.Errors![nameof(AliasInput.Alias)]);
        Assert.Equal("The full name is required.", empty.Errors![nameof(AliasInput.FullName)]);
        var tooLong = await aliases.AddAsync(new AliasInput { Alias = new string('长', 41), FullName = new string('名', 201) }, admin);
        Assert.Equal("The short name is too long (40 characters at most).", tooLong.Errors![nameof(AliasInput.Alias)]);
        Assert.Equal("The full name is too long (200 characters at most).", tooLong.Errors![nameof(AliasInput.FullName)]);
        var taken = await aliases.AddAsync(new AliasInput { Alias = "中粮", FullName = "中粮别的公司" }, admin);
        Assert.Equal("The short name 中粮 is already in the list (for 中国粮油食品（集团）有限公司).", taken.Errors![nameof(AliasInput.Alias)]);

        var heard = new ConcurrentQueue<WorkspaceEvent>();
        using var sub = fx.Get<IWorkspaceEvents>().Subscribe(Topic.Scope(CompanyAliasService.Scope), e => { heard.Enqueue(e); return Task.CompletedTask; });
        var added = await aliases.AddAsync(new AliasInput { Alias = alias, FullName = full }, admin);
        Assert.True(added.Ok, added.Problem);
        try
        {
            await HeardAsync(heard, e => e.Kind == EventKind.CompanyAliasesChanged);
            // At once, without a restart: the while-typing finder both ways, and the scan.
            Assert.Contains(await finder.AccountsAsync(new AccountProbe(alias)), x => x.Id == fullId && x.Reasons.Any(r => r.Code == MatchReasonCodes.KnownShortName));
            Assert.Contains(await finder.AccountsAsync(new AccountProbe(full)), x => x.Id == shortId);
            var scan = fx.Get<DuplicateScan>();
            var records = (await scan.LoadAccountsAsync()).Where(r => r.Id == fullId || r.Id == shortId).ToList();
            Assert.Single(BatchScan.Accounts(records, fx.Get<MatchScorer>()));
            await scan.RunAsync();
            await using (var db = await fx.DbAsync())
                Assert.True(await db.DuplicatePairs.AnyAsync(p => p.Kind == RecordKind.Account && p.AId == Math.Min(fullId, shortId) && p.BId == Math.Max(fullId, shortId)));

            // Edited and then removed: the matcher follows.
            var row = (await aliases.ListAsync()).Single(r => r.Alias == alias);
            var stale = row.Version;
            var edited = await aliases.UpdateAsync(row.Id, new AliasInput { Alias = alias, FullName = "四川省别的茶测集团股份有限公司" }, row.Version, admin);
            Assert.True(edited.Ok, edited.Problem);
            Assert.DoesNotContain(await finder.AccountsAsync(new AccountProbe(alias)), x => x.Id == fullId);
            var lost = await aliases.UpdateAsync(row.Id, new AliasInput { Alias = alias, FullName = full }, stale, admin);
            Assert.False(lost.Ok);
            Assert.StartsWith("Someone else changed this short name meanwhile", lost.Error);
        }
        finally
        {
            var row = (await aliases.ListAsync()).Single(r => r.Alias == alias);
            Assert.True((await aliases.RemoveAsync(row.Id, admin)).Ok);
        }
        Assert.DoesNotContain(await aliases.ListAsync(), r => r.Alias == alias);
        Assert.Null(CompanyAliases.FullNameOf(CompanyAliasService.KeyOf(alias)));
        // Added again, the removed row comes back rather than a second one.
        var readded = await aliases.AddAsync(new AliasInput { Alias = alias, FullName = full }, admin);
        Assert.True(readded.Ok, readded.Problem);
        Assert.True((await aliases.RemoveAsync(readded.Id!.Value, admin)).Ok);
    }
}
