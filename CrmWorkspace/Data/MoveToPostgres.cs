using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CrmWorkspace.Data;

/// <summary>
/// Moves a company from SQLite to an empty PostgreSQL database: creates the schema (PostgreSQL's migrations), copies every table
/// of the model in one PostgreSQL transaction, checks row counts and the sums of every number column per table, and only then
/// commits. The SQLite file is opened read-only. A failure half way rolls the whole copy back: the target is left with the schema
/// and no rows but the migrations' own (the standard teams), so the same command can simply be run again. A target that already has rows is refused.
/// Usage: dotnet CrmWorkspace.dll move-to-postgres --from "Data Source=data/crm.db" --to "Host=…;Database=crm;Username=…"
/// </summary>
public static class MoveToPostgres
{
    public sealed record TableReport(string Table, long Rows, IReadOnlyDictionary<string, decimal> Sums);

    public static async Task<int> MainAsync(string[] args, TextWriter output)
    {
        string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        var from = Arg("--from");
        var to = Arg("--to");
        if (from is null || to is null)
        {
            output.WriteLine("Usage: move-to-postgres --from \"Data Source=data/crm.db\" --to \"Host=127.0.0.1;Database=crm;Username=crm;Password=…\"");
            return 2;
        }
        try
        {
            var sw = Stopwatch.StartNew();
            var report = await RunAsync(from, to, output);
            output.WriteLine($"Moved {report.Sum(r => r.Rows):N0} rows in {report.Count} tables in {sw.Elapsed.TotalSeconds:F1} s " +
                $"(peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576} MB). Counts and sums match. The SQLite file was not changed.");
            output.WriteLine("Next: set Database:Provider to \"PostgreSQL\" and Database:ConnectionString to the target in appsettings.json.");
            return 0;
        }
        catch (MoveRefusedException e)
        {
            output.WriteLine("Refused: " + e.Message);
            return 3;
        }
        catch (Exception e)
        {
            output.WriteLine($"The move failed and was rolled back: the target has the schema but none of the company's rows; run the command again. ({e.GetType().Name}: {e.Message})");
            return 1;
        }
    }

    public sealed class MoveRefusedException(string message) : Exception(message);

    /// <summary>Copies and verifies; throws (leaving the target without rows) on any failure or mismatch.</summary>
    public static async Task<IReadOnlyList<TableReport>> RunAsync(string sqliteConnection, string postgresConnection, TextWriter? log = null, CancellationToken ct = default)
    {
        var source = new SqliteConnectionStringBuilder(sqliteConnection) { Mode = SqliteOpenMode.ReadOnly };
        if (!File.Exists(source.DataSource)) throw new MoveRefusedException($"No SQLite database at {source.DataSource}.");
        var sb = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(sb, "Sqlite", source.ToString());
        await using var sqlite = new CrmDbContext(sb.Options);
        if ((await sqlite.Database.GetPendingMigrationsAsync(ct)).Any())
            throw new MoveRefusedException("The SQLite database is not at this version's schema: start the app on it once (it migrates), then move it.");
        var pb = new DbContextOptionsBuilder<CrmDbContext>();
        // The move's own statements (counts and sums over millions of rows) may take longer than the app's 30 s per command.
        postgresConnection = new NpgsqlConnectionStringBuilder(postgresConnection) { CommandTimeout = 0 }.ToString();
        DatabaseSetup.Configure(pb, "PostgreSQL", postgresConnection);
        await using var pg = new PostgreSqlCrmDbContext(pb.Options);
        await pg.Database.MigrateAsync(ct);

        var tables = Ordered(pg.Model.GetRelationalModel().Tables.Where(t => t.Name != "__EFMigrationsHistory").ToList());
        var sqliteTables = sqlite.Model.GetRelationalModel().Tables.ToDictionary(t => t.Name);
        var src = (SqliteConnection)sqlite.Database.GetDbConnection();
        await src.OpenAsync(ct);
        var dst = (NpgsqlConnection)pg.Database.GetDbConnection();
        if (dst.State != System.Data.ConnectionState.Open) await dst.OpenAsync(ct);

        // Empty means: no rows beyond those the migrations themselves put in (the standard teams).
        var design = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<IDesignTimeModel>(pg).Model;
        var seeded = design.GetEntityTypes().Where(e => e.GetTableName() is not null).GroupBy(e => e.GetTableName()!)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.GetSeedData().Count()));
        int Seeded(ITable t) => seeded.GetValueOrDefault(t.Name);
        foreach (var t in tables)
        {
            await using var c = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{t.Name}\"", dst);
            if ((long)(await c.ExecuteScalarAsync(ct))! > Seeded(t))
                throw new MoveRefusedException($"The target database is not empty (table {t.Name} has rows): a move into it was done already. Use an empty database.");
        }

        var reports = new List<TableReport>();
        await using var tx = await dst.BeginTransactionAsync(ct);
        // The migrations' own rows make way for the company's (which may have changed them).
        foreach (var t in Enumerable.Reverse(tables).Where(t => Seeded(t) > 0))
        {
            await using var c = new NpgsqlCommand($"DELETE FROM \"{t.Name}\"", dst, tx);
            await c.ExecuteNonQueryAsync(ct);
        }
        // The name search's bigrams are made once after the copy, set-based: per-row triggers made copying names ~5× slower.
        await using (var off = new NpgsqlCommand(SearchIndex.PostgresGramTriggersOffSql, dst, tx)) await off.ExecuteNonQueryAsync(ct);
        foreach (var table in tables)
        {
            var report = await CopyTableAsync(src, dst, tx, sqliteTables[table.Name], table, ct);
            reports.Add(report);
            log?.WriteLine($"  {table.Name}: {report.Rows:N0} rows");
        }
        await using (var grams = new NpgsqlCommand(SearchIndex.PostgresBulkGramsSql, dst, tx) { CommandTimeout = 0 }) await grams.ExecuteNonQueryAsync(ct);
        log?.WriteLine("  search bigrams built");
        // Identity columns continue after the copied ids.
        foreach (var table in tables)
            foreach (var col in table.Columns.Where(c => c.PropertyMappings.Any(m => m.Property.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd && m.Property.IsPrimaryKey()) && c.ProviderClrType is { } tp && (tp == typeof(int) || tp == typeof(long))))
            {
                await using var c = new NpgsqlCommand($"SELECT setval(pg_get_serial_sequence('\"{table.Name}\"', '{col.Name}'), GREATEST(COALESCE((SELECT MAX(\"{col.Name}\") FROM \"{table.Name}\"), 0), 1))", dst, tx);
                await c.ExecuteScalarAsync(ct);
            }
        // Check what arrived, inside the transaction: counts and sums per table, or nothing is kept.
        foreach (var r in reports)
        {
            var numeric = r.Sums.Keys.ToList();
            var sql = $"SELECT COUNT(*)::numeric{string.Concat(numeric.Select(n => $", COALESCE(SUM(\"{n}\"::numeric), 0)"))} FROM \"{r.Table}\"";
            await using var c = new NpgsqlCommand(sql, dst, tx);
            await using var rd = await c.ExecuteReaderAsync(ct);
            await rd.ReadAsync(ct);
            if (rd.GetDecimal(0) != r.Rows) throw new InvalidOperationException($"{r.Table}: {r.Rows} rows read, {rd.GetDecimal(0)} written");
            for (var i = 0; i < numeric.Count; i++)
                if (rd.GetDecimal(i + 1) != r.Sums[numeric[i]])
                    throw new InvalidOperationException($"{r.Table}.{numeric[i]}: sum {r.Sums[numeric[i]]} read, {rd.GetDecimal(i + 1)} written");
        }
        await tx.CommitAsync(ct);
        // Made ready for work now, not when autovacuum gets to it: planner statistics for the new rows (the first queries get the plans
        // they will keep), the visibility map and hint bits (index-only scans; no first reader writes every page it touches), and the
        // name indexes' pending lists merged (with ANALYZE alone, the first run after a move had 4-character name searches of 3-4 s on
        // the scale dataset, and a later run on the same data, after autovacuum, 30 ms).
        try
        {
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", dst) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync(ct);
            log?.WriteLine("  made ready for work (VACUUM, ANALYZE)");
        }
        catch (NpgsqlException e) { log?.WriteLine($"  the rows are in; preparing them failed ({e.Message}): run VACUUM (ANALYZE) on the database"); }
        return reports;
    }

    private static async Task<TableReport> CopyTableAsync(SqliteConnection src, NpgsqlConnection dst, NpgsqlTransaction tx, ITable from, ITable to, CancellationToken ct)
    {
        var columns = to.Columns.Select(c => c.Name).Where(n => from.FindColumn(n) is not null).ToList();
        var readers = columns.Select(n => Reader(from.FindColumn(n)!)).ToList();
        var writers = columns.Select(n => Writer(to.FindColumn(n)!)).ToList();
        // Rows that point to rows of their own table (a branch's parent) are written without the pointer first, then pointed.
        var selfRefs = to.ForeignKeyConstraints.Where(f => f.PrincipalTable == to).SelectMany(f => f.Columns.Select(c => c.Name)).Distinct().ToHashSet();
        var keys = to.PrimaryKey!.Columns.Select(c => c.Name).ToList();
        var numeric = columns.Where(n => IsNumber(to.FindColumn(n)!)).ToList();
        var sums = numeric.ToDictionary(n => n, _ => 0m);
        var later = new List<object?[]>();
        long rows = 0;
        await using var read = src.CreateCommand();
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{from.Name}\"";
        await using var rd = await read.ExecuteReaderAsync(ct);
        // COPY (text format) streams the rows in: several times faster than multi-row INSERTs, and nothing is held in memory.
        var copy = await dst.BeginTextImportAsync($"COPY \"{to.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN", ct);
        // Finishing a table of millions of rows (its indexes) can take minutes on a busy server: no 30 s limit on the COPY's end.
        if (copy is NpgsqlCopyTextWriter timed) timed.Timeout = 2 * 3600 * 1000; // milliseconds
        try
        {
            var line = new StringBuilder();
            var row = new object?[columns.Count];
            while (await rd.ReadAsync(ct))
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    var model = rd.IsDBNull(i) ? null : readers[i](rd, i);
                    var value = model is null ? null : writers[i](model);
                    row[i] = value;
                    if (value is not null && sums.ContainsKey(columns[i])) sums[columns[i]] += Convert.ToDecimal(value);
                }
                if (selfRefs.Count > 0 && selfRefs.Any(s => row[columns.IndexOf(s)] is not null))
                {
                    later.Add((object?[])row.Clone());
                    foreach (var s in selfRefs) row[columns.IndexOf(s)] = null;
                }
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0) line.Append('\t');
                    CopyText(line, row[i]);
                }
                line.Append('\n');
                rows++;
                if (line.Length >= 1 << 16) { await copy.WriteAsync(line, ct); line.Clear(); }
            }
            await copy.WriteAsync(line, ct);
        }
        catch (Exception)
        {
            // Abandon the COPY rather than complete it; the caller's transaction is rolled back.
            if (copy is NpgsqlCopyTextWriter w) try { await w.CancelAsync(); } catch (Exception) { }
            throw;
        }
        finally
        {
            // Disposing the writer completes the COPY (or, after a failure, ends it; the transaction is rolled back anyway).
            await copy.DisposeAsync();
        }
        // The pointers, a thousand rows per statement (one UPDATE per branch took a minute for 40k branches).
        var set = keys.Concat(selfRefs).ToList();
        foreach (var chunk in later.Chunk(1000))
        {
            await using var u = new NpgsqlCommand { Connection = dst, Transaction = tx };
            var values = string.Join(", ", chunk.Select((row, r) => "(" + string.Join(", ", set.Select((c, i) =>
            {
                u.Parameters.AddWithValue($"p{r}_{i}", row[columns.IndexOf(c)] ?? DBNull.Value);
                return $"@p{r}_{i}";
            })) + ")"));
            u.CommandText = $"UPDATE \"{to.Name}\" AS t SET {string.Join(", ", selfRefs.Select(c => $"\"{c}\" = v.\"{c}\""))} " +
                $"FROM (VALUES {values}) AS v({string.Join(", ", set.Select(c => $"\"{c}\""))}) WHERE {string.Join(" AND ", keys.Select(k => $"t.\"{k}\" = v.\"{k}\""))}";
            await u.ExecuteNonQueryAsync(ct);
        }
        return new TableReport(to.Name, rows, sums);
    }

    /// <summary>A value in COPY's text format (PostgreSQL parses it by the column's type).</summary>
    private static void CopyText(StringBuilder sb, object? value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (value)
        {
            case null: sb.Append("\\N"); break;
            case string s:
                if (s.AsSpan().IndexOfAny("\\\t\n\r") < 0) { sb.Append(s); break; }
                foreach (var ch in s)
                {
                    if (ch is '\\' or '\t' or '\n' or '\r') sb.Append('\\').Append(ch switch { '\t' => 't', '\n' => 'n', '\r' => 'r', _ => '\\' });
                    else sb.Append(ch);
                }
                break;
            case bool b: sb.Append(b ? 't' : 'f'); break;
            case DateTimeOffset d: sb.Append(d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", inv)); break;
            case DateTime d: sb.Append(d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", inv)).Append(d.Kind == DateTimeKind.Utc ? "+00" : ""); break;
            case DateOnly d: sb.Append(d.ToString("yyyy-MM-dd", inv)); break;
            case TimeOnly t: sb.Append(t.ToString("HH:mm:ss.ffffff", inv)); break;
            case TimeSpan t: sb.Append(t.Ticks / 10).Append(" microseconds"); break;
            case Guid g: sb.Append(g.ToString()); break;
            case byte[] bytes: sb.Append("\\\\x").Append(Convert.ToHexString(bytes)); break;
            case double x: sb.Append(x.ToString("R", inv)); break;
            case float x: sb.Append(x.ToString("R", inv)); break;
            case Enum e: sb.Append(Convert.ToInt64(e, inv)); break;
            case IFormattable f: sb.Append(f.ToString(null, inv)); break;
            default: throw new NotSupportedException($"No COPY text for a {value.GetType().Name}");
        }
    }

    private static bool IsNumber(IColumn c)
    {
        var t = Nullable.GetUnderlyingType(c.ProviderClrType) ?? c.ProviderClrType;
        return t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(decimal);
    }

    // SQLite's stored value -> the model's value (through SQLite's converter: timestamps are numbers there, enums ints).
    private static Func<DbDataReader, int, object?> Reader(IColumn column)
    {
        var mapping = column.PropertyMappings.First().TypeMapping;
        var stored = Nullable.GetUnderlyingType(mapping.Converter?.ProviderClrType ?? mapping.ClrType) ?? (mapping.Converter?.ProviderClrType ?? mapping.ClrType);
        var get = typeof(MoveToPostgres).GetMethod(nameof(Get), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(stored);
        var read = (Func<DbDataReader, int, object?>)get.CreateDelegate(typeof(Func<DbDataReader, int, object?>));
        return mapping.Converter is { } conv ? (r, i) => conv.ConvertFromProvider(read(r, i)) : read;
    }

    private static object? Get<T>(DbDataReader r, int i) => r.GetFieldValue<T>(i);

    // The model's value -> what PostgreSQL stores (timestamps in UTC, enums as ints).
    private static Func<object, object?> Writer(IColumn column)
    {
        var conv = column.PropertyMappings.First().TypeMapping.Converter;
        return conv is null ? v => v : v => conv.ConvertToProvider(v);
    }

    /// <summary>Tables in an order where every table comes after those it points to (pointers to itself aside).</summary>
    private static List<ITable> Ordered(List<ITable> tables)
    {
        var done = new List<ITable>();
        var left = tables.ToList();
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(t => t.ForeignKeyConstraints.All(f => f.PrincipalTable == t || done.Contains(f.PrincipalTable) || !tables.Contains(f.PrincipalTable)))
                ?? throw new InvalidOperationException("Tables point to each other in a cycle: " + string.Join(", ", left.Select(t => t.Name)));
            done.Add(next);
            left.Remove(next);
        }
        return done;
    }
}
