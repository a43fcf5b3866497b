using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Duplicates.Matching;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>Match reasons as people read them ("same mobile 138…", "name 94 % similar").</summary>
public static class DuplicateLabels
{
    public static string Reason(IStringLocalizer<DuplicatesText> L, MatchReason r) => r.Code switch
    {
        MatchReasonCodes.SamePhone => L["same phone {0}", PhoneNormalizer.Display(r.Detail)],
        MatchReasonCodes.SameEmail => L["same e-mail {0}", r.Detail ?? ""],
        MatchReasonCodes.NameSimilar => L["name {0} % similar", r.Percent ?? 0],
        MatchReasonCodes.SameName => L["same name"],
        MatchReasonCodes.SamePlace => L["same place {0}", r.Detail ?? ""],
        MatchReasonCodes.AddressSimilar => L["address {0} % similar", r.Percent ?? 0],
        MatchReasonCodes.SameBirthday => L["same birthday"],
        MatchReasonCodes.SameParent => L["same parent company"],
        MatchReasonCodes.SamePostcode => L["same postal code"],
        MatchReasonCodes.BranchOf => L["branch {0} of the same company: link as a branch, do not merge", r.Detail ?? ""],
        MatchReasonCodes.OtherBranch => L["other branches {0}", r.Detail ?? ""],
        MatchReasonCodes.SameTradeName => L["same trade name {0}", r.Detail ?? ""],
        MatchReasonCodes.OtherTradeName => L["other trade name {0}", r.Detail ?? ""],
        MatchReasonCodes.OtherIndustry => L["other industry {0}", r.Detail ?? ""],
        MatchReasonCodes.ExtraWords => L["extra words {0} in one name", r.Detail ?? ""],
        MatchReasonCodes.BareBrand => L["brand alone {0}: weak without a phone or address", r.Detail ?? ""],
        MatchReasonCodes.OtherPlace => L["other place {0}", r.Detail ?? ""],
        MatchReasonCodes.KnownShortName => L["known short name {0}", r.Detail ?? ""],
        _ => r.Code,
    };
}
