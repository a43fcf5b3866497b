using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.KeyCustomers;

/// <summary>The key-customer list and the care list as files: what the page shows, with addresses, marked and recorded as exports.</summary>
[Collection(AppCollection.Name)]
public class KeyCustomerReportTests(AppFixture fx)
{
    [Fact]
    public async Task The_key_customer_list_ranks_by_score_filters_by_owner_and_exports_the_same_rows_to_pdf_and_excel_recorded()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        using var s = fx.Scope();
        var listing = s.ServiceProvider.GetRequiredService<KeyCustomerListing>();
        var all = await listing.ListAsync(new KeyCustomerQuery(), 100);
        Assert.NotEmpty(all.Rows);
        Assert.Equal(all.Rows.Select(r => r.Score).OrderDescending(), all.Rows.Select(r => r.Score));
        Assert.All(all.Rows, r => Assert.True(r.Tier <= AccountTier.B));
        Assert.Equal(all.Rows.Sum(r => r.Lines.Sum(l => l.Points)), all.Rows.Sum(r => r.Score));   // the breakdown adds up to the score
        var owner = all.Rows.First(r => r.OwnerId is not null).OwnerId!;
        var mine = await listing.ListAsync(new KeyCustomerQuery(OwnerId: owner), 100);
        Assert.All(mine.Rows, r => Assert.Equal(owner, r.OwnerId));
        Assert.Equal(all.Rows.Count(r => r.OwnerId == owner), mine.Total);

        var reports = s.ServiceProvider.GetRequiredService<KeyCustomerReports>();
        var since = DateTimeOffset.UtcNow;
        var xlsx = await reports.KeyExcelAsync(new KeyCustomerQuery(), manager);
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(all.Rows.Select(r => r.Name), rows.Select(r => (string)r["Customer"]));
        Assert.Equal(all.Rows[0].Score, Convert.ToInt32(rows[0]["Score"]));
        await using (var db = await fx.DbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.Export && e.ActorId == manager.Id && e.At >= since && e.Subject == "key-customers.xlsx"));

        if (!fx.Get<ReportBrowser>().IsAvailable) Assert.Fail("Chromium is needed to print reports.");
        var pdf = await reports.PdfAsync(await reports.KeyReportAsync(new KeyCustomerQuery(), manager));
        using var doc = PdfDocument.Open(pdf);
        var text = string.Concat(doc.GetPages().Select(p => p.Text));
        Assert.Contains(all.Rows[0].Name.Replace(" ", ""), text.Replace(" ", ""));
        Assert.Contains($"{all.Rows.Count}customerslistedof{all.Total}matching", text.Replace(" ", ""));
    }

    [Fact]
    public async Task The_care_list_prints_and_exports_the_key_contacts_birthday_with_the_address_to_send_the_card_to()
    {
        var owner = await fx.StaffAsync("circulation@demo.local");
        var manager = await fx.StaffAsync("marketing@demo.local");
        var day = DateOnly.FromDateTime(DateTime.Today.AddDays(2));
        int account;
        await using (var db = await fx.DbAsAsync(owner.Id))
        {
            var a = new Account { Name = "关怀名单地址测试酒业有限公司", OwnerId = owner.Id, Status = AccountStatus.Active, Province = "贵州", City = "遵义", Address = "仁怀市茅台镇" };
            db.Accounts.Add(a);
            await db.SaveChangesAsync();
            db.Contacts.Add(new Contact { AccountId = a.Id, Name = "欧阳明", IsKeyContact = true, Birthday = new DateOnly(1972, day.Month, Math.Min(day.Day, 28)), Address = "遵义市汇川区上海路 18 号" });
            await db.SaveChangesAsync();
            account = a.Id;
        }
        using var s = fx.Scope();
        Assert.True((await s.ServiceProvider.GetRequiredService<KeyCustomerService>().PinAsync(account, AccountTier.A, "关怀名单测试", manager)).Ok);
        var reports = s.ServiceProvider.GetRequiredService<KeyCustomerReports>();
        var from = new DateOnly(day.Year, day.Month, 1);
        var to = from.AddMonths(1).AddDays(-1);

        var (rows, cut) = await reports.CareRowsAsync(from, to, owner.Id, manager);
        Assert.False(cut);
        var row = Assert.Single(rows, r => r.Date.AccountId == account);
        Assert.Equal("遵义市汇川区上海路 18 号", row.Address);

        var xlsx = await reports.CareExcelAsync(from, to, owner.Id, manager);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(sheet, r => (string)r["Customer"] == "关怀名单地址测试酒业有限公司" && (string)r["Address"] == "遵义市汇川区上海路 18 号" && (string)r["Contact"] == "欧阳明");

        var pdf = await reports.PdfAsync(await reports.CareReportAsync(from, to, owner.Id, manager));
        using var doc = PdfDocument.Open(pdf);
        var text = string.Concat(doc.GetPages().Select(p => p.Text)).Replace(" ", "");
        Assert.Contains("遵义市汇川区上海路18号", text);
        Assert.Contains("欧阳明", text);
    }
}
