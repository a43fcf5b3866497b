using System.Collections.Concurrent;
using System.Globalization;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Localization;

/// <summary>
/// Draws a <see cref="LocalLine"/> in the reader's language (the current UI culture): the one way timeline lines written by the
/// software are shown, on the timeline, the live panel, the start page and the work log.
/// </summary>
public sealed class LineText(IStringLocalizerFactory factory)
{
    private static readonly Dictionary<string, Type> Families = new[]
    {
        typeof(AdvertisingText), typeof(KeyCustomersText), typeof(TeamsText), typeof(AssignmentText), typeof(TimelineText),
    }.ToDictionary(t => t.Name);

    private readonly ConcurrentDictionary<string, IStringLocalizer> _localizers = new();

    /// <summary>The line in the reader's language, or null when its family or template is unknown here.</summary>
    public string? Render(LocalLine line)
    {
        if (!Families.TryGetValue(line.Family, out var type)) return null;
        var l = _localizers.GetOrAdd(line.Family, _ => factory.Create(type));
        if (l[line.Key].ResourceNotFound) return null;
        return Format(l, line);
    }

    /// <summary>The line with a family's localizer the caller already has (the writer's own rendering, kept as the Subject).</summary>
    public static string Format(IStringLocalizer l, LocalLine line) =>
        l[line.Key, line.Args.Select(a => Value(l, a)).ToArray()].Value;

    /// <summary>
    /// The line in every language the workspace offers, distinct readings one per line (what the timeline's text filter searches),
    /// or null when none can be drawn. Each reading is drawn under its culture, so its dates and numbers are as that reader sees them.
    /// </summary>
    public string? Readings(LocalLine line)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var readings = new List<string>(LocalizationSetup.Cultures.Length);
        try
        {
            foreach (var name in LocalizationSetup.Cultures)
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
                if (Render(line) is { } s && !readings.Contains(s)) readings.Add(s);
            }
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
        return readings.Count == 0 ? null : string.Join('\n', readings);
    }

    /// <summary>What a reader sees of an entry's subject: its line in their language when it carries one, else as written.</summary>
    public string Subject(string subject, string? data) => LocalLine.From(data) is { } line && Render(line) is { } s ? s : subject;

    private static object Value(IStringLocalizer l, LineArg a) =>
        a.Key is { } k ? l[k].Value
        : a.Date is { } d ? d.ToDateTime(TimeOnly.MinValue)
        : a.Number is { } n ? n
        : a.Step is { } s ? Ads.StepLabel(l, (PipelineStep)s)
        : a.Text ?? "";
}
