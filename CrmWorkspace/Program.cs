using CrmWorkspace;
using CrmWorkspace.Components;
using CrmWorkspace.Data;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.DemoData;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.Home;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Search;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using MudBlazor.Services;

// SQLite's ADO.NET provider runs every query synchronously on a pool thread; with many live circuits re-reading at once the
// pool (2 threads to start on 2 cores, growing slowly) starves and every circuit waits. Start it wider.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), minIo);

var settingsFile = Settings.Locate();
var settingsDirectory = Path.GetDirectoryName(settingsFile)!;
// A company moving to several servers: copies a SQLite database into an empty PostgreSQL database (README, "Several servers").
if (args.FirstOrDefault() == "move-to-postgres") Environment.Exit(await CrmWorkspace.Data.MoveToPostgres.MainAsync(args, Console.Out));
// Several servers on one machine (scripts/cluster.sh): the app as a load balancer with sticky sessions (README, "Several servers").
if (args.FirstOrDefault() == "balancer") Environment.Exit(await CrmWorkspace.Live.Balancer.RunAsync(args[1..]));

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.UseOperatorSettings(settingsFile);
// Run from a build (not a publish) in any environment: serve package and framework files from the build manifest.
builder.WebHost.UseStaticWebAssets();

// 128 KB (default 32 KB): a note at its 20,000-character limit (60 KB of Chinese, 120 KB if every character were escaped)
// fits in one event; the composer refuses longer text in the browser before it is sent.
builder.Services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = 128 * 1024);
builder.Services.AddMudServices();
builder.Services.AddCrmLocalization();
builder.Services.AddCrmDatabase(builder.Configuration, settingsDirectory);
builder.Services.AddStaffAndSignIn(builder.Configuration);
builder.Services.AddSecurity(builder.Configuration);
builder.Services.AddLive(builder.Configuration);
builder.Services.AddCustomers();
builder.Services.AddSearch();
builder.Services.AddTimeline();
builder.Services.AddReports(builder.Configuration);
builder.Services.AddFairs();
builder.Services.AddSubscriptions();
builder.Services.AddDuplicates(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);
builder.Services.AddHome();
builder.Services.AddTeams();
builder.Services.AddKeyCustomers();
builder.Services.AddAdvertising(builder.Configuration);

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
await app.Services.SeedDemoDataIfEnabledAsync();

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseCrmLocalization();
app.UseFirstRunSetup();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapStaffEndpoints();
app.MapLive();
app.MapFairs();
app.MapSubscriptions();
app.MapTeams();
app.MapAdvertising();
app.MapKeyCustomers();
app.MapLocalizationEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
