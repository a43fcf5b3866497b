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
        _ => r.Code,
    };
}
