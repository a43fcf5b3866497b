using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmWorkspace.Localization;

/// <summary>Marker for MudBlazor's own texts in Chinese (Resources/Localization/MudText.*.resx).</summary>
public class MudText;

/// <summary>Gives MudBlazor's built-in texts (pager, pickers...) our translations; unknown keys fall back to MudBlazor's English.</summary>
public class CrmMudLocalizer(IStringLocalizer<MudText> texts) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var s = texts[key];
            return s.ResourceNotFound || !LocalizationSetup.IsChinese ? new LocalizedString(key, key, resourceNotFound: true) : s;
        }
    }
}
