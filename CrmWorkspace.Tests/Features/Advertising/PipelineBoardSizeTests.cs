using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Advertising;

/// <summary>
/// The board of an owner with 2,000 open deals, read as the page reads it: every deal, every time. How fast is the benchmark's
/// business (CrmWorkspace.Benchmarks, group "ads"): a timed assertion here would fail on a busy machine, not on slow code.
/// </summary>
[Collection(AppCollection.Name)]
public class PipelineBoardSizeTests(AppFixture fx)
{
    [Fact]
    public async Task The_board_of_an_owner_with_2000_open_deals_reads_whole()
    {
        var owner = await fx.StaffAsync("circulation@demo.local");
        int[] accounts;
        await using (var db = await fx.DbAsync())
            accounts = await db.Accounts.Where(a => a.ParentId == null).Select(a => a.Id).ToArrayAsync();
        await using (var db = await fx.DbAsAsync(owner.Id))
        {
            db.Opportunities.AddRange(Enumerable.Range(0, 2000).Select(i => new Opportunity
            {
                AccountId = accounts[i % accounts.Length], Title = $"规模测试 {i}", ExpectedValue = 10_000 + i, ExpectedClose = new DateOnly(2027, 1 + i % 12, 1),
                OwnerId = owner.Id, TeamId = owner.TeamId, Step = (PipelineStep)(1 + i % 8),
            }));
            await db.SaveChangesAsync();
        }
        using var s = fx.Scope();
        var pipeline = s.ServiceProvider.GetRequiredService<PipelineService>();
        Assert.Equal(2000, (await pipeline.BoardAsync(owner.Id, null)).Count);
        var cards = await pipeline.BoardAsync(owner.Id, null);
        // Every step of the eight holds its share, in the board's own order (no card lost or shown twice).
        Assert.Equal(2000, cards.Select(c => c.Id).Distinct().Count());
        Assert.All(Enum.GetValues<PipelineStep>().Where(p => (int)p is >= 1 and <= 8), step => Assert.Equal(250, cards.Count(c => c.Step == step && c.Title.StartsWith("规模测试"))));
    }
}
