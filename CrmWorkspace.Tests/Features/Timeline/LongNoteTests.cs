using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Timeline;

/// <summary>The note limit as the service enforces it: a note up to the limit is kept whole, nothing longer or cut short is stored.</summary>
[Collection(AppCollection.Name)]
public class LongNoteTests(AppFixture fx)
{
    private static string Chinese(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)('一' + i % 2000)));

    private async Task<int> NewAccountAsync(string name)
    {
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = name }, await fx.StaffAsync("service@demo.local"));
        return r.Id!.Value;
    }

    private async Task<List<string?>> BodiesAsync(int accountId)
    {
        await using var db = await fx.DbAsync();
        return await db.Activities.Where(a => a.AccountId == accountId && a.Kind != ActivityKind.System).Select(a => a.Body).ToListAsync();
    }

    [Fact]
    public async Task A_note_of_exactly_the_limit_in_Chinese_is_stored_whole_and_one_character_more_is_refused_with_the_limit_named()
    {
        var id = await NewAccountAsync("长文本限制测试酒业有限公司");
        using var s = fx.Scope();
        var timeline = s.ServiceProvider.GetRequiredService<TimelineService>();
        var me = await fx.StaffAsync("service@demo.local");
        var full = Chinese(TimelineService.MaxBody);

        var ok = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "会议纪要", Body = full, BodyLength = full.Length }, me);
        Assert.True(ok.Ok);
        var over = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "过长纪要", Body = full + "多" }, me);

        Assert.False(over.Ok);
        Assert.Contains("20000", over.Errors!["Body"].Replace(",", ""));
        Assert.Equal([full], await BodiesAsync(id));
    }

    [Fact]
    public async Task A_note_that_arrived_shorter_or_empty_than_the_person_wrote_is_refused_and_nothing_is_stored()
    {
        var id = await NewAccountAsync("截断正文测试酒业有限公司");
        using var s = fx.Scope();
        var timeline = s.ServiceProvider.GetRequiredService<TimelineService>();
        var me = await fx.StaffAsync("service@demo.local");

        // The browser saw 12,000 characters; the server got 8,000 of them, or none at all (a dropped event).
        var cut = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "纪要", Body = Chinese(8_000), BodyLength = 12_000 }, me);
        var empty = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "纪要", Body = null, BodyLength = 12_000 }, me);
        // A client saying its text is over the limit is told so, whatever arrived.
        var saidTooLong = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "纪要", Body = "", BodyLength = 5_000_000 }, me);

        Assert.False(cut.Ok);
        Assert.Contains("8,000", cut.Errors!["Body"]);
        Assert.Contains("12,000", cut.Errors!["Body"]);
        Assert.False(empty.Ok);
        Assert.False(saidTooLong.Ok);
        Assert.Contains("20000", saidTooLong.Errors!["Body"].Replace(",", ""));
        Assert.Empty(await BodiesAsync(id));
    }
}
