using System.Net;
using System.Text.RegularExpressions;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>Small helpers for reading server-rendered HTML in tests.</summary>
public static partial class Html
{
    public static string AntiforgeryToken(string html) =>
        AntiforgeryRegex().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the page.");

    /// <summary>Prerendered HTML writes Chinese as numeric entities: decode before comparing text.</summary>
    public static string Text(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryRegex();
}
