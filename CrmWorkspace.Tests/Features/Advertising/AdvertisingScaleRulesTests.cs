using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Advertising;

/// <summary>The rules that keep the flatplan and the receivables quick at scale, as a user meets them.</summary>
[Collection(AppCollection.Name)]
public class AdvertisingScaleRulesTests(AppFixture fx)
{
    private static T Svc<T>(IServiceScope s) where T : notnull => s.ServiceProvider.GetRequiredService<T>();

    private async Task<int[]> AccountsAsync(int n, int skip)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(skip).Select(a => a.Id).Take(n).ToArrayAsync();
    }

    /// <summary>A signed contract of one line, sold by <paramref name="seller"/>, signed on the given day; returns its quote line and contract.</summary>
    private async Task<(int Line, int Contract)> ContractAsync(int account, int product, StaffIdentity seller, DateOnly signedOn, int instalments = 1)
    {
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = product, Quantity = 2 }] }, seller);
        Assert.True(q.Ok, q.Problem);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        var contract = await quotes.AcceptAsync(view.Id, view.Version, signedOn, instalments, seller);
        Assert.True(contract.Ok, contract.Problem);
        return (view.Lines[0].Id, contract.Id!.Value);
    }

    [Fact]
    public async Task Lines_of_contracts_signed_more_than_two_years_before_an_issue_are_no_longer_offered_for_it()
    {
        // A periodical with an issue in March 2027 and a full page on the 2027 rate card.
        var manager = await fx.StaffAsync("marketing@demo.local");
        using var s = fx.Scope();
        var p = new Periodical { Title = "测试刊 ADW1", Code = "ADW1", IssuesPerYear = 12, AnnualPrice = 100 };
        Assert.True((await Svc<PeriodicalService>(s).CreatePeriodicalAsync(p, manager)).Ok);
        var issue = (await Svc<PeriodicalService>(s).AddIssueAsync(p.Id, "2027-03", new DateOnly(2027, 3, 10), false, manager)).Id!.Value;
        var full = (await Svc<RateCardService>(s).SaveProductAsync(new AdProductInput { Year = 2027, PeriodicalId = p.Id, Name = "整版", Size = AdSize.Full, ListPrice = 30_000 }, manager)).Id!.Value;
        var accounts = await AccountsAsync(2, 2);
        var (recent, _) = await ContractAsync(accounts[0], full, manager, new DateOnly(2026, 12, 1));
        var (old, _) = await ContractAsync(accounts[1], full, manager, new DateOnly(2025, 3, 1));

        var offered = await Svc<FlatplanService>(s).PlaceableAsync(issue);

        Assert.Contains(offered, l => l.QuoteLineId == recent && l.Quantity == 2 && l.Placed == 0);
        Assert.DoesNotContain(offered, l => l.QuoteLineId == old);
        // Placing one of the recent line's two insertions leaves it offered with one placed; the list says so.
        Assert.True((await Svc<FlatplanService>(s).PlaceAsync(recent, issue, manager)).Ok);
        Assert.Contains(await Svc<FlatplanService>(s).PlaceableAsync(issue), l => l.QuoteLineId == recent && l.Placed == 1);
    }

    [Fact]
    public async Task A_salespersons_overdue_list_holds_their_overdue_instalments_and_nobody_elses()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        var member = await fx.StaffAsync("fair@demo.local");
        var today = DateOnly.FromDateTime(DateTime.Today);
        using var s = fx.Scope();
        var product = (await Svc<RateCardService>(s).SaveProductAsync(new AdProductInput
        {
            Year = today.Year, Medium = AdMedium.Listing, Name = "供求信息置顶 ADO1", Position = AdPosition.RunOfBook, Size = null, ListPrice = 3_000,
        }, manager)).Id!.Value;
        var accounts = await AccountsAsync(2, 4);
        // The member's contract: three monthly instalments, all due before today. The manager's: due from today on.
        var (_, membersContract) = await ContractAsync(accounts[0], product, member, today.AddMonths(-3), instalments: 3);
        var (_, managersContract) = await ContractAsync(accounts[1], product, manager, today, instalments: 2);
        var plans = Svc<FlatplanService>(s);

        var members = await plans.ReceivablesAsync(member.Id, overdueOnly: true);
        var managers = await plans.ReceivablesAsync(manager.Id, overdueOnly: true);

        Assert.Equal(3, members.Count(r => r.ContractId == membersContract));
        Assert.All(members, r => Assert.True(r.SalespersonId == member.Id && r.DueOn < today && r.DaysOverdue > 0 && r.Outstanding > 0));
        Assert.DoesNotContain(managers, r => r.ContractId == membersContract || r.ContractId == managersContract);
        // Without "overdue only" the manager's list holds the instalments still to come.
        Assert.Equal(2, (await plans.ReceivablesAsync(manager.Id)).Count(r => r.ContractId == managersContract));
    }
}
