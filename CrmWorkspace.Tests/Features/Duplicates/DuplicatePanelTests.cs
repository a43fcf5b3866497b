using Bunit;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Duplicates.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>The while-typing panel's words and colours follow how strong the match is.</summary>
public sealed class DuplicatePanelTests : IAsyncLifetime
{
    // Composition, not inheritance: MudBlazor's services dispose only asynchronously, which xunit does through IAsyncLifetime.
    private readonly BunitContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    public DuplicatePanelTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        _ctx.Services.Configure<DuplicateOptions>(o => o.Threshold = 0.5);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static DuplicateCandidate Candidate(RecordKind kind, double score, params MatchReason[] reasons) =>
        new(kind, 7, 3, "陈静", "某某酒业有限公司", score, reasons, reasons.Any(DuplicateFinder.IsExact), null, []);

    [Fact]
    public void A_contact_sharing_only_a_phone_at_42_percent_is_a_hint_not_a_customer_we_already_have_in_red()
    {
        var cut = _ctx.Render<DuplicatePanel>(p => p.Add(x => x.Candidates, [Candidate(RecordKind.Contact, 0.42, new MatchReason(MatchReasonCodes.SamePhone, "+8613800138000"))]));

        var panel = cut.Find("[data-testid=duplicate-panel]");
        Assert.DoesNotContain("already have", panel.TextContent);
        Assert.Contains("probably not the same", panel.TextContent);
        Assert.DoesNotContain("mud-alert-text-error", panel.OuterHtml);
        Assert.Contains("mud-alert-text-info", panel.OuterHtml);
        var chip = cut.Find("[data-testid=duplicate-score]");
        Assert.Contains("42", chip.TextContent);
        Assert.DoesNotContain("mud-chip-color-error", chip.ClassName);
    }

    [Fact]
    public void A_near_certain_contact_match_says_we_already_have_the_contact_in_red_and_a_middling_one_asks_to_check_in_orange()
    {
        var sure = _ctx.Render<DuplicatePanel>(p => p.Add(x => x.Candidates, [Candidate(RecordKind.Contact, 0.93, new MatchReason(MatchReasonCodes.SamePhone, "+8613800138000"), new MatchReason(MatchReasonCodes.SameName))]));
        Assert.Contains("This looks like a contact we already have", sure.Find("[data-testid=duplicate-panel]").TextContent);
        Assert.Contains("mud-alert-text-error", sure.Find("[data-testid=duplicate-panel]").OuterHtml);

        var middling = _ctx.Render<DuplicatePanel>(p => p.Add(x => x.Candidates, [Candidate(RecordKind.Account, 0.62, new MatchReason(MatchReasonCodes.NameSimilar, null, 88))]));
        Assert.Contains("Possible duplicates", middling.Find("[data-testid=duplicate-panel]").TextContent);
        Assert.Contains("mud-alert-text-warning", middling.Find("[data-testid=duplicate-panel]").OuterHtml);
    }
}
