using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.Subscriptions;

[Collection(AppCollection.Name)]
public class DispatchLabelsTests(AppFixture fx)
{
    /// <summary>A new monthly periodical with one issue published today.</summary>
    private static async Task<(int Periodical, int Issue)> NewIssueAsync(PeriodicalService service, StaffIdentity actor, string title, string number)
    {
        var p = new Periodical { Title = title, Code = "LBL" + Guid.NewGuid().ToString("N")[..6], Frequency = IssueFrequency.Monthly, IssuesPerYear = 12, AnnualPrice = 120 };
        Assert.True((await service.CreatePeriodicalAsync(p, actor)).Ok);
        return (p.Id, (await service.AddIssueAsync(p.Id, number, DateOnly.FromDateTime(DateTime.Today), false, actor)).Id!.Value);
    }

    [Fact]
    public async Task The_label_sheet_has_a_label_for_every_copy_still_to_send_with_postal_code_and_a_warning_on_a_returned_address()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var labels = s.ServiceProvider.GetRequiredService<DispatchLabels>();
        var actor = await fx.StaffAsync("circulation@demo.local");
        var (periodical, issue) = await NewIssueAsync(servicePeriodicalService, actor, "标签测试月刊", "L-1");
        await using var db = await fx.DbAsync();
        // 25 customers with a contact at a known address: 22 labels on two sheets once 3 are dispatched.
        var customers = await db.Accounts.Where(a => a.ParentId == null && a.Status != AccountStatus.Restricted && a.Contacts.Any()).OrderBy(a => a.Id).Take(25)
            .Select(a => new { a.Id, a.Name, Contact = a.Contacts.OrderBy(c => c.Id).Select(c => c.Id).First() }).ToListAsync();
        var subs = new List<int>();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            await db.Contacts.Where(x => x.Id == c.Contact).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Address, $"四川省成都市锦江区红星路{i + 1}号").SetProperty(x => x.PostalCode, $"61{i:0000}").SetProperty(x => x.AddressProblem, (string?)null));
            var r = await service.SubscribeAsync(new SubscriptionInput
            {
                AccountId = c.Id, ContactId = c.Contact, PeriodicalId = periodical, StartsOn = DateTime.Today.AddMonths(-1), Months = 12, Copies = i == 4 ? 3 : 1,
            }, actor);
            subs.Add(r.Id!.Value);
        }
        await serviceDispatchService.MarkDispatchedAsync(issue, subs.Take(3).ToList(), actor);
        await db.Contacts.Where(x => x.Id == customers[5].Contact).ExecuteUpdateAsync(u => u.SetProperty(x => x.AddressProblem, "Returned: 标签测试月刊 L-0"));

        var data = (await labels.DataAsync(issue))!;
        var bytes = await labels.PdfAsync(data);
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "dispatch-labels-test.pdf"), bytes);
        using var pdf = PdfDocument.Open(bytes);

        Assert.Equal(22, data.Labels.Count);
        Assert.Equal(2, pdf.NumberOfPages);
        var text = string.Concat(pdf.GetPages().Select(x => x.Text));
        Assert.All(customers.Skip(3), c => Assert.Contains(c.Name, text));
        Assert.All(Enumerable.Range(3, 22), i => Assert.Contains($"61{i:0000}", text));
        Assert.DoesNotContain("610000", text);   // dispatched already
        Assert.Contains("× 3 copies", text);
        Assert.Single(data.Labels, l => l.Problem is not null);
        Assert.Contains("Address problem", pdf.GetPage(1).Text);
        Assert.Contains("Labels 标签测试月刊 L-1 · sheet 2 of 2", pdf.GetPage(2).Text);

        var all = (await labels.DataAsync(issue, pendingOnly: false))!;
        Assert.Equal(25, all.Labels.Count);
    }

    [Fact]
    public async Task An_issue_with_nothing_left_to_send_prints_one_sheet_that_says_so()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var labels = s.ServiceProvider.GetRequiredService<DispatchLabels>();
        var actor = await fx.StaffAsync("circulation@demo.local");
        var (_, issue) = await NewIssueAsync(servicePeriodicalService, actor, "空标签测试刊", "E-1");

        using var pdf = PdfDocument.Open(await labels.PdfAsync((await labels.DataAsync(issue))!));

        Assert.Equal(1, pdf.NumberOfPages);
        Assert.Contains("No labels to print: every copy of this issue is dispatched.", pdf.GetPage(1).Text);
        Assert.Null(await labels.DataAsync(-1));
    }
}
