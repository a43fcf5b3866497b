using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CrmWorkspace.Data;

/// <summary>Lets `dotnet ef` build the SQLite model without starting the web host (scripts/add-migration.sh).</summary>
public class DesignTimeFactory : IDesignTimeDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(b, "Sqlite", "Data Source=design.db");
        return new CrmDbContext(b.Options);
    }
}

/// <summary>The PostgreSQL model for `dotnet ef` (no server is contacted to add a migration).</summary>
public class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlCrmDbContext>
{
    public PostgreSqlCrmDbContext CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(b, "PostgreSQL", "Host=127.0.0.1;Database=crm_design");
        return new PostgreSqlCrmDbContext(b.Options);
    }
}
