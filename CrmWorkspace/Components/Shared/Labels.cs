using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Components.Shared;

/// <summary>Localised names of enum values: the key is "Type.Value" in SharedText.</summary>
public static class Labels
{
    public static string Enum<TEnum>(this IStringLocalizer<SharedText> t, TEnum value) where TEnum : struct, System.Enum =>
        t[$"{typeof(TEnum).Name}.{value}"];

    public static string Enum<TEnum>(this IStringLocalizer<SharedText> t, TEnum? value) where TEnum : struct, System.Enum =>
        value is { } v ? t.Enum(v) : "—";

    /// <summary>Every set flag of a [Flags] enum, localised and joined.</summary>
    public static string Flags(this IStringLocalizer<SharedText> t, CrmWorkspace.Domain.ProductLines lines) =>
        lines == CrmWorkspace.Domain.ProductLines.None ? "—"
            : string.Join(t["ListSeparator"], System.Enum.GetValues<CrmWorkspace.Domain.ProductLines>()
                .Where(f => f != CrmWorkspace.Domain.ProductLines.None && lines.HasFlag(f)).Select(f => t.Enum(f)));
}
