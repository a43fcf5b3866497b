using System.Globalization;
using Bunit;
using CrmWorkspace.Localization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CrmWorkspace.Tests.Localization;

/// <summary>MudBlazor's own screen-reader labels (date picker, numeric field) in Chinese.</summary>
public sealed class MudLabelsTests : IAsyncLifetime
{
    // Composition, not inheritance: MudBlazor's services dispose only asynchronously, which xunit does through IAsyncLifetime.
    private readonly BunitContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    public MudLabelsTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        _ctx.Services.AddTransient<MudLocalizer, CrmMudLocalizer>();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static IDisposable Chinese()
    {
        var (c, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
        return new Restore(() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (c, ui));
    }

    private sealed class Restore(Action a) : IDisposable { public void Dispose() => a(); }

    [Fact]
    public void A_numeric_fields_up_and_down_buttons_are_announced_in_Chinese()
    {
        using var _ = Chinese();
        var cut = _ctx.Render<MudNumericField<int>>(p => p.Add(x => x.Label, "天数"));
        var labels = cut.FindAll("[aria-label]").Select(e => e.GetAttribute("aria-label")!).ToList();
        Assert.Contains("增加", labels);
        Assert.Contains("减少", labels);
        Assert.DoesNotContain(labels, l => l.Contains("Increment", StringComparison.OrdinalIgnoreCase) || l.Contains("Decrement", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_date_pickers_open_button_is_announced_in_Chinese()
    {
        using var _ = Chinese();
        var cut = _ctx.Render<MudDatePicker>(p => p.Add(x => x.Label, "跟进日期").Add(x => x.Clearable, true).Add(x => x.Editable, true));
        var labels = cut.FindAll("[aria-label]").Select(e => e.GetAttribute("aria-label")!).ToList();
        Assert.Contains("打开日期选择器", labels);
        Assert.DoesNotContain(labels, l => l.Contains("Open", StringComparison.Ordinal) || l.Contains("Clear", StringComparison.Ordinal));
    }
}
