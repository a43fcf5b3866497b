using System.Net;
using System.Security.Claims;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Tests.Features.Security;

/// <summary>An app whose export limit is 3 rows, so the cut shows with demo data.</summary>
public sealed class SmallExportFixture : IAsyncLifetime
{
    public AppFactory App { get; } = new(demoAccounts: 40, settings: new Dictionary<string, string?> { ["Security:ExportRowLimit"] = "3" });
    public string BaseUrl { get; private set; } = "";
    public Task InitializeAsync() { BaseUrl = App.Start(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await App.DisposeAsync();
}

public class ExportAndSessionTests(SmallExportFixture fx) : IClassFixture<SmallExportFixture>
{
    private async Task<HttpClient> SignedInAsync(string email)
    {
        var c = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = new Uri(fx.BaseUrl) };
        var token = Html.AntiforgeryToken(await c.GetStringAsync("/account/login"));
        var r = await c.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = CrmWorkspace.Tests.Infrastructure.Browser.DemoPassword, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", r.Headers.Location!.ToString());
        return c;
    }

    private static string[] Lines(byte[] csv) => System.Text.Encoding.UTF8.GetString(csv[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task A_sales_export_is_cut_to_the_limit_a_manager_gets_every_row_both_files_name_who_and_every_export_is_on_the_trail()
    {
        const string filter = "/renewals/export.csv?days=365&lapsed=365";
        var manager = await (await SignedInAsync("marketing@demo.local")).GetAsync(filter);
        Assert.Equal(HttpStatusCode.OK, manager.StatusCode);
        var all = Lines(await manager.Content.ReadAsByteArrayAsync());
        Assert.True(all.Length - 2 > 3, $"the demo needs more than 3 renewals for this test, has {all.Length - 2}");
        Assert.StartsWith("# Exported by 王磊 at ", all[0]);
        Assert.Contains($": {all.Length - 2} rows", all[0]);

        var sales = await (await SignedInAsync("circulation@demo.local")).GetAsync(filter);
        var cut = Lines(await sales.Content.ReadAsByteArrayAsync());
        Assert.Equal(2 + 3, cut.Length);   // mark, header, 3 rows
        Assert.StartsWith("# Exported by 李娜 at ", cut[0]);
        Assert.Contains("3 rows (cut to the limit of your role)", cut[0]);

        var xlsx = await (await SignedInAsync("circulation@demo.local")).GetAsync("/renewals/export.xlsx?days=365&lapsed=365");
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal(3, MiniExcelLibs.MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Count());
        var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(new MemoryStream(bytes));
        Assert.Contains("Export", sheets);
        var mark = MiniExcelLibs.MiniExcel.Query(new MemoryStream(bytes), sheetName: "Export").Cast<IDictionary<string, object>>().SelectMany(r => r.Values).OfType<string>();
        Assert.Contains(mark, v => v.StartsWith("Exported by 李娜 at ") && v.Contains("3 rows"));

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var exports = await db.AuditEntries.Where(e => e.Kind == AuditKind.Export).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, exports.Count);
        Assert.Equal(("王磊", "renewals.csv", all.Length - 2), (exports[0].ActorName, exports[0].Subject, exports[0].Rows!.Value));
        Assert.Equal(("李娜", "renewals.csv", 3), (exports[1].ActorName, exports[1].Subject, exports[1].Rows!.Value));
        Assert.Contains("\"Days\":365", exports[1].Detail);
        Assert.Contains("cut", exports[1].Detail);
        Assert.Equal(("李娜", "renewals.xlsx", 3), (exports[2].ActorName, exports[2].Subject, exports[2].Rows!.Value));
    }

    [Fact]
    public async Task A_role_change_signs_the_person_out_of_open_sessions_and_open_pages()
    {
        var news = await SignedInAsync("news@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await news.GetAsync("/customers")).StatusCode);
        ClaimsPrincipal before;
        string id;
        using (var s = fx.App.Services.CreateScope())
        {
            var users = s.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync("news@demo.local"))!;
            id = user.Id;
            before = await s.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>().CreateAsync(user);
            var options = s.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value;
            Assert.True(await StampRevalidatingStateProvider.StillValidAsync(users, before, options));

            var admin = s.ServiceProvider.GetRequiredService<StaffAdminService>();
            var adminMe = StaffIdentity.ForRole(await users.Users.Where(u => u.Email == "admin@demo.local").Select(u => u.Id).SingleAsync(), "管理员 Admin", null, Roles.Administrator);
            Assert.True((await admin.SetTeamAndRoleAsync(id, user.TeamId, Roles.Manager, adminMe)).Ok);
            // An open page (Blazor circuit) re-checks with this and signs out.
            Assert.False(await StampRevalidatingStateProvider.StillValidAsync(users, before, options));
        }
        // The cookie is re-checked every StampCheckSeconds (10 by default): within that the next request is sent to sign in.
        HttpResponseMessage? r = null;
        for (var i = 0; i < 30; i++)
        {
            r = await news.GetAsync("/customers");
            if (r.StatusCode == HttpStatusCode.Redirect) break;
            await Task.Delay(1000);
        }
        Assert.Equal(HttpStatusCode.Redirect, r!.StatusCode);
        Assert.Contains("/account/login", r.Headers.Location!.ToString());

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.RoleChanged && e.Subject == "news@demo.local" && e.Detail == "Sales → Manager"));
    }
}
