using CrmWorkspace.Data;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>The person who saves sees their entry from their own save, not when the live event for everyone comes round.</summary>
[Collection(BrowserCollection.Name)]
public class WriterFirstTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_writer_sees_their_entry_at_once_while_colleagues_get_it_from_the_live_event_later()
    {
        int id;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var u = await db.Users.SingleAsync(x => x.Email == "marketing@demo.local");
            using var scope = fx.App.Services.CreateScope();
            var r = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(
                new AccountInput { Name = "先见为快浏览器测试糖业有限公司" }, new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true));
            Assert.True(r.Ok, r.Error);
            id = r.Id!.Value;
        }
        var writer = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        var colleague = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        foreach (var p in new[] { writer, colleague })
        {
            await p.GotoAsync($"/customers/{id}");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
        }
        var live = fx.App.Services.GetRequiredService<LiveOptions>();
        var before = live.ViewsAfterMs;
        live.ViewsAfterMs = 8_000; // open views apply events 8 s late: only the writer's own result can show it sooner
        try
        {
            await Infrastructure.Browser.Input(writer, "activity-subject").FillAsync("电话：确认广告版位");
            await writer.GetByTestId("activity-save").ClickAsync();
            var mine = writer.GetByTestId("timeline-entry").Filter(new() { HasText = "电话：确认广告版位" });
            await Expect(mine).ToBeVisibleAsync(new() { Timeout = 4_000 });
            // The colleague has not had it yet: the writer's screen did not come from the live event.
            await Expect(colleague.GetByTestId("timeline-entry").Filter(new() { HasText = "电话：确认广告版位" })).ToHaveCountAsync(0);
            // ... and gets it from the live event, without a reload.
            await Expect(colleague.GetByTestId("timeline-entry").Filter(new() { HasText = "电话：确认广告版位" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(mine).ToHaveCountAsync(1);
        }
        finally { live.ViewsAfterMs = before; }
        await writer.Context.CloseAsync();
        await colleague.Context.CloseAsync();
    }
}
