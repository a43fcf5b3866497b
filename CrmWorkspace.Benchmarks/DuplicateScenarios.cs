using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>The duplicate check while typing (server side, as the form calls it) and the batch scan of 100k contacts.</summary>
public sealed class DuplicateScenarios(BenchHost host, int iterations, bool quick, TextWriter log)
{
    public async Task<List<Result>> RunAsync() => [await CheckWhileTypingAsync(), await BatchScanAsync()];

    /// <summary>The check while typing alone (runs on either provider).</summary>
    public async Task<Result> CheckWhileTypingAsync()
    {
        var dbs = host.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        List<(string Name, string? Phone, string? City)> accounts;
        List<(string Name, string? Phone)> people;
        await using (var db = await dbs.CreateDbContextAsync())
        {
            accounts = (await db.Accounts.Where(a => a.Id % 613 == 0).OrderBy(a => a.Id).Select(a => new { a.Name, a.Phone, a.City }).Take(300).ToListAsync()).Select(a => (a.Name, a.Phone, a.City)).ToList();
            people = (await db.Contacts.Where(c => c.Id % 1613 == 0).OrderBy(c => c.Id).Select(c => new { c.Name, Phone = c.Phones.Select(p => p.Number).FirstOrDefault() }).Take(300).ToListAsync())
                .Select(c => (c.Name, c.Phone)).ToList();
        }

        // Floor: the bare indexed lookup of one match key (a phone's E.164) through a prepared command.
        await using var c = await host.OpenRawAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT \"ContactId\" FROM \"ContactPhone\" WHERE \"E164\" = @p";
        var param = cmd.Param("@p", "");
        await cmd.PrepareAsync();
        var keys = people.Select(p => PhoneNormalizer.ToE164(p.Phone)).OfType<string>().ToList();
        var floor = await Samples.MeasureAsync(iterations, async i => { param.Value = keys[i % keys.Count]; await using var r = await cmd.ExecuteReaderAsync(); while (await r.ReadAsync()) { } });

        log.WriteLine("duplicates: check while typing");
        using var scope = host.Services.CreateScope();
        var finder = scope.ServiceProvider.GetRequiredService<DuplicateFinder>();
        var rng = new Random(5);
        // What people type: the name without its legal form or with a place in front, part of the name, the phone written another way.
        async Task Once(int i)
        {
            if (i % 2 == 0)
            {
                var (name, phone, city) = accounts[i / 2 % accounts.Count];
                var core = CompanyNameNormalizer.Normalize(name).Core;
                var typed = (i / 2 % 3) switch { 0 => core, 1 => (city ?? "") + core + "有限公司", _ => name[..Math.Max(2, name.Length * 2 / 3)] };
                await finder.AccountsAsync(new AccountProbe(typed, i % 4 == 0 && phone is not null ? "0086 " + phone : null, null, city));
            }
            else
            {
                var (name, phone) = people[i / 2 % people.Count];
                await finder.ContactsAsync(new ContactProbe(name, phone is null || i % 3 == 0 ? null : ["+86 " + PhoneNormalizer.Display(phone)]));
            }
        }
        // Untimed until the JIT is done with the check's code (other customers than the timed ones): with the 5 warm-up checks of
        // MeasureAsync alone, the tier-up of scoring and normalising ran on the other core during the timed ones (p95 11.4 ms alone,
        // 14.2 in a full run, 2026-12-05; as the pipeline board's in docs/performance.md).
        var (warmS, warmRuns, steady) = await Samples.SteadyAsync(i => Once(i + iterations));
        log.WriteLine($"  {warmRuns} checks untimed first ({warmS:F1} s){(steady ? "" : ", the JIT still compiling at the limit")}");
        var check = await Samples.MeasureAsync(iterations, Once);
        // Where a check spends its time in the database layer (EF commands; the bigram lookup is a raw command and shows in the rest).
        await SaveTrace.ProfileAsync($"check ({host.Provider})", 60, Once, log);
        return new Result("Duplicate check while typing (company or person: indexed candidates, scoring, who works them)", check,
            "one match key (E.164), bare prepared lookup", floor, "p95 ≤ 10 ms", 10);
    }

    private async Task<Result> BatchScanAsync()
    {
        var scan = host.Services.GetRequiredService<DuplicateScan>();
        var size = quick ? 3_000 : 100_000;
        log.WriteLine($"duplicates: batch scan of {size:N0} contacts");
        var scanTimes = new Samples();
        var found = 0;
        for (var run = 0; run < (quick ? 1 : 2); run++)
        {
            var sw = Stopwatch.StartNew();
            // Load as the scan does (all match fields, phones and e-mails), then compare within blocks.
            var records = await scan.LoadContactsAsync(take: size);
            var pairs = BatchScan.Contacts(records, host.Services.GetRequiredService<MatchScorer>());
            scanTimes.Add(sw.Elapsed.TotalMilliseconds);
            found = pairs.Count;
            log.WriteLine($"  {records.Count:N0} contacts in {sw.Elapsed.TotalSeconds:F1} s, {found:N0} pairs");
        }
        return new Result($"Batch duplicate scan, {size:N0} contacts (load from the database, block, score; {found:N0} pairs)", scanTimes,
            "—", null, "≤ 60 s", 60_000);
    }
}
