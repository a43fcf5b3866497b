using CrmWorkspace.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>Units of work on a database the test configured itself (outside the app's own factory).</summary>
public sealed class OptionsFactory(DbContextOptions<CrmDbContext> options) : IDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext() => new(options);
}
