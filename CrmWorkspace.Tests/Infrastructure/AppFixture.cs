using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>One running app (no browser) shared by integration tests of a collection.</summary>
public class AppFixture : IAsyncLifetime
{
    public AppFixture() : this(null) { }

    protected AppFixture(IDictionary<string, string?>? settings) => App = new(demoAccounts: 40, settings: settings);

    public AppFactory App { get; }
    public string BaseUrl { get; private set; } = "";
    public IServiceProvider Services => App.Services;

    public Task InitializeAsync()
    {
        BaseUrl = App.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A scope whose services behave like one user's (for scoped use-case services).</summary>
    public IServiceScope Scope() => App.Services.CreateScope();

    public async Task<CrmDbContext> DbAsync() => await Get<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    /// <summary>A unit of work that writes as this actor (a user id, or Actors.SystemId), as the services open theirs.</summary>
    public async Task<CrmDbContext> DbAsAsync(string actorId) => await Get<IDbContextFactory<CrmDbContext>>().BeginAsync(actorId);

    /// <summary>The identity of a demo user, as services expect the actor.</summary>
    public async Task<StaffIdentity> StaffAsync(string email)
    {
        await using var db = await DbAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        var role = await db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstAsync();
        return StaffIdentity.ForRole(u.Id, u.DisplayName, u.TeamId, role!);
    }
}

/// <summary>The same app on PostgreSQL (a new database on the test server of <see cref="TestServers"/>).</summary>
public sealed class PostgresAppFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Database:Provider"] = "PostgreSQL",
    ["Database:ConnectionString"] = TestServers.NewPostgresDatabase(),
});

/// <summary>Test classes that run their scenarios on PostgreSQL too derive from the SQLite class, in this collection.</summary>
[CollectionDefinition(Name)]
public class PostgresCollection : ICollectionFixture<PostgresAppFixture>
{
    public const string Name = "postgres";
}

[CollectionDefinition(Name)]
public class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
