using System.Globalization;
using System.Text;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>
/// The quality benchmark end to end: Febrl person records imported as contacts through the CSV import, the batch scan run
/// over the database at the configured threshold, pair precision / recall / F1 against the files' own answers.
/// </summary>
[Collection(AppCollection.Name)]
public class FebrlImportTests(AppFixture fx, ITestOutputHelper output)
{
    [Theory]
    [InlineData("dataset1.csv")]
    [InlineData("dataset3.csv")]
    public async Task Imported_febrl_records_are_paired_by_the_batch_scan_with_f1_of_at_least_0_995(string file)
    {
        var lines = File.ReadAllLines(FebrlFiles.Path(file));
        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        int Col(string name) => header.IndexOf(name);
        var csv = new StringBuilder("company,name,address,postcode,birthday\n");
        var entityOfLine = new Dictionary<int, string>();
        var company = $"Febrl {file} {Guid.NewGuid():N}";
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',').Select(x => x.Trim()).ToArray();
            var name = $"{f[Col("given_name")]} {f[Col("surname")]}".Trim();
            var address = string.Join(" ", new[] { "street_number", "address_1", "address_2", "suburb", "postcode", "state" }.Select(c => f[Col(c)]).Where(x => x.Length > 0));
            // Impossible dates of birth (Febrl corrupts some) are left empty rather than rejecting the person.
            var dob = DateTime.TryParseExact(f[Col("date_of_birth")], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 1900 && d <= DateTime.Today
                ? d.ToString("yyyy-MM-dd") : "";
            csv.Append($"\"{company}\",\"{name}\",\"{address}\",{f[Col("postcode")]},{dob}\n");
            var rec = f[Col("rec_id")];
            entityOfLine[i + 1] = rec[..rec.IndexOf('-', 4)];
        }
        using var scope = fx.Scope();
        var me = await fx.StaffAsync("admin@demo.local");
        var imported = await scope.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv.ToString()), ImportKind.Contacts, me);
        Assert.True(imported.Ok, imported.Error);
        var entityOf = imported.Ids.ToDictionary(x => x.Id, x => entityOfLine[x.Line]);

        var scan = fx.Get<DuplicateScan>();
        var records = (await scan.LoadContactsAsync()).Where(r => entityOf.ContainsKey(r.Id)).ToList();
        var found = BatchScan.Contacts(records, fx.Get<MatchScorer>());
        var (precision, recall, f1) = Febrl.Evaluate(found, entityOf);

        output.WriteLine($"{file}: {records.Count} imported ({imported.Rejected.Count} rejected, {imported.Linked} linked at import), threshold {fx.Get<MatchScorer>().Threshold}: precision {precision:F4}, recall {recall:F4}, F1 {f1:F4}");
        Assert.Equal(lines.Length - 1, records.Count + imported.Rejected.Count);
        Assert.True(f1 >= 0.995, $"F1 {f1:F4} (precision {precision:F4}, recall {recall:F4})");
    }
}
