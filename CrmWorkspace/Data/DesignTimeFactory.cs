using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CrmWorkspace.Data;

/// <summary>Lets `dotnet ef` build the model without starting the web host.</summary>
public class DesignTimeFactory : IDesignTimeDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(b, "Sqlite", "Data Source=design.db");
        return new CrmDbContext(b.Options);
    }
}
