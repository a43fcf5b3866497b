using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>
/// The one model under a second name, only so that EF keeps PostgreSQL's migrations (Data/Migrations/PostgreSql) apart from
/// SQLite's (Data/Migrations, for <see cref="CrmDbContext"/>). The app's services always use <see cref="CrmDbContext"/>;
/// <see cref="DatabaseSetup.MigrateAsync"/> migrates a PostgreSQL database through this type.
/// </summary>
public sealed class PostgreSqlCrmDbContext(DbContextOptions<CrmDbContext> options) : CrmDbContext(options);
