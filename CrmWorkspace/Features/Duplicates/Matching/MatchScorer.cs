namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Scores how likely two contacts, or two accounts, are the same customer entered twice.</summary>
public sealed class MatchScorer
{
    /// <summary>
    /// The score from which a pair is reported as a likely duplicate. Tuned once for everything: Febrl dataset1 and dataset3
    /// both stay at pair F1 0.98 or more for thresholds 0.11 to 0.90 and the CJK test set at 0.95 or more for 0.30 to 0.85; 0.5 sits well inside both.
    /// </summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Creates a scorer that reports pairs scoring at least <paramref name="threshold"/>.</summary>
    public MatchScorer(double threshold = DefaultThreshold) : this(threshold, MatchWeights.Default) { }

    /// <summary>Creates a scorer with other weights (for experiments).</summary>
    internal MatchScorer(double threshold, MatchWeights weights)
    {
        if (threshold is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold is a score in 0..1.");
        Threshold = threshold;
        Weights = weights;
    }

    /// <summary>The score from which a pair counts as a likely duplicate.</summary>
    public double Threshold { get; }

    /// <summary>The evidence weights.</summary>
    internal MatchWeights Weights { get; }

    /// <summary>Compares two contacts.</summary>
    public MatchResult Score(ContactRecord a, ContactRecord b) => Score(new PreparedContact(a), new PreparedContact(b));

    /// <summary>Compares two accounts.</summary>
    public MatchResult Score(AccountRecord a, AccountRecord b) => Score(new PreparedAccount(a), new PreparedAccount(b));

    /// <summary>Whether the result is at or above the threshold.</summary>
    public bool IsLikelyDuplicate(MatchResult r) => r.Score >= Threshold;

    /// <summary>Compares two prepared contacts, with reasons.</summary>
    internal MatchResult Score(PreparedContact a, PreparedContact b) => Score(a, b, withReasons: true);

    /// <summary>The contact score; reasons are only built when asked for (the batch scan builds them for hits only).</summary>
    internal MatchResult Score(PreparedContact a, PreparedContact b, bool withReasons)
    {
        var w = Weights;
        List<MatchReason>? reasons = withReasons ? [] : null;
        var evidence = 0.0;

        // Phones and e-mails: a shared one is strong evidence; different ones are weak evidence against (people have several).
        if (a.Phones.Length > 0 && b.Phones.Length > 0)
        {
            var shared = a.Phones.FirstOrDefault(p => Array.IndexOf(b.Phones, p) >= 0);
            if (shared is not null)
            {
                // A mobile is personal; a fixed line may be the office number of many colleagues.
                evidence += PreparedContact.IsMobile(shared) ? w.PhoneAgree : w.SharedLineAgree;
                reasons?.Add(new(MatchReasonCodes.SamePhone, shared));
            }
            // Two different mobiles are two people more often than one person with two mobiles.
            else evidence += a.Phones.Any(PreparedContact.IsMobile) && b.Phones.Any(PreparedContact.IsMobile) ? w.MobileDisagree : w.PhoneDisagree;
        }
        if (a.Emails.Length > 0 && b.Emails.Length > 0)
        {
            var shared = a.Emails.FirstOrDefault(e => Array.IndexOf(b.Emails, e) >= 0);
            if (shared is not null) { evidence += w.EmailAgree; reasons?.Add(new(MatchReasonCodes.SameEmail, shared)); }
            else evidence += w.EmailDisagree;
        }

        // Names.
        var name = NameEvidence(a, b, w);
        evidence += name.Weight;
        if (reasons is not null && name.Compared)
        {
            if (name.Same) reasons.Add(new(MatchReasonCodes.SameName));
            else if (name.Similarity >= 0.7) reasons.Add(new(MatchReasonCodes.NameSimilar, null, Percent(name.Similarity)));
        }

        // Birthday.
        if (a.Birthday is { } da && b.Birthday is { } db)
        {
            var kind = CompareDates(da, db);
            evidence += kind switch { 0 => w.BirthdayAgree, 1 => w.BirthdayNear, 2 => w.BirthdayTwoDigits, _ => w.BirthdayDisagree };
            if (kind == 0) reasons?.Add(new(MatchReasonCodes.SameBirthday));
        }

        // Address.
        if (a.AddressTokens.Length > 0 && b.AddressTokens.Length > 0)
        {
            var sim = TokenSetSimilarity(a.AddressTokens, b.AddressTokens);
            evidence += MatchWeights.Partial(sim, w.AddressSimLow, w.AddressSimHigh, w.AddressDisagree, w.AddressAgree);
            if (sim >= 0.6) reasons?.Add(new(MatchReasonCodes.AddressSimilar, null, Percent(sim)));
        }

        // Postcode.
        if (a.Postcode is { } pa && b.Postcode is { } pb)
        {
            if (pa == pb) { evidence += w.PostcodeAgree; reasons?.Add(new(MatchReasonCodes.SamePostcode, pa)); }
            else if (pa.Length == pb.Length && TextSimilarity.EditDistance(pa, pb) == 1) evidence += w.PostcodeNear;
            else evidence += w.PostcodeDisagree;
        }

        return new MatchResult(w.ToScore(evidence), reasons ?? (IReadOnlyList<MatchReason>)[]);
    }

    /// <summary>Compares two prepared accounts, with reasons.</summary>
    internal MatchResult Score(PreparedAccount a, PreparedAccount b) => Score(a, b, withReasons: true);

    /// <summary>The account score.</summary>
    internal MatchResult Score(PreparedAccount a, PreparedAccount b, bool withReasons)
    {
        var w = Weights;
        List<MatchReason>? reasons = withReasons ? [] : null;
        var evidence = 0.0;

        if (a.Phone is not null && b.Phone is not null)
        {
            if (a.Phone == b.Phone) { evidence += w.PhoneAgree; reasons?.Add(new(MatchReasonCodes.SamePhone, a.Phone)); }
            else evidence += w.AccountPhoneDisagree; // a company has many lines
        }

        var parts = ChineseNameParts.Compare(a.Name, b.Name);
        if (a.Name.Core.Length > 0 && b.Name.Core.Length > 0)
        {
            var sim = Math.Min(CompanySimilarity(a, b), parts.Cap);
            // A very short core ("abc", "五粮") says less than a long one.
            var shortest = Math.Min(a.Name.Core.Length, b.Name.Core.Length);
            var cjk = TextSimilarity.HasCjk(a.Name.Core) || TextSimilarity.HasCjk(b.Name.Core);
            var agree = w.CompanyCoreAgree * Math.Min(1.0, (cjk ? 0.55 + 0.15 * shortest : 0.5 + 0.1 * shortest));
            if (parts.Bare) agree = Math.Min(agree, w.BareBrandAgree);
            evidence += MatchWeights.Partial(sim, w.CompanySimLow, w.CompanySimHigh, w.CompanyCoreDisagree, agree);
            if (reasons is not null)
            {
                if (a.Name.Core == b.Name.Core && a.Name.Branch == b.Name.Branch) reasons.Add(new(MatchReasonCodes.SameName));
                else if (sim >= 0.7) reasons.Add(new(MatchReasonCodes.NameSimilar, null, Percent(sim)));
            }
        }
        if (reasons is not null) reasons.AddRange(parts.Reasons);
        evidence += parts.Relation switch
        {
            ChineseNameParts.Kinship.HeadAndBranch => w.HeadAndBranch,
            ChineseNameParts.Kinship.OtherBranch or ChineseNameParts.Kinship.OtherPlace => w.PlaceConflict,
            _ => 0,
        };

        // Places: the one in the name and the city field. Two places that cannot be the same location mean two branches.
        var placeA = a.City ?? a.Name.Place;
        var placeB = b.City ?? b.Name.Place;
        if (Places.Conflict(a.Name.Place, b.Name.Place) || CityConflict(a, b)
            || Places.Conflict(a.City, b.Name.Place) || Places.Conflict(a.Name.Place, b.City))
            evidence += w.PlaceConflict;
        else if (placeA is not null && placeA == placeB)
        {
            evidence += w.PlaceAgree;
            reasons?.Add(new(MatchReasonCodes.SamePlace, placeA));
        }

        if (a.AddressTokens.Length > 0 && b.AddressTokens.Length > 0)
        {
            var sim = TokenSetSimilarity(a.AddressTokens, b.AddressTokens);
            evidence += MatchWeights.Partial(sim, w.AddressSimLow, w.AddressSimHigh, w.AddressDisagree, w.AddressAgree);
            if (sim >= 0.6) reasons?.Add(new(MatchReasonCodes.AddressSimilar, null, Percent(sim)));
        }

        if (a.ParentId is not null && a.ParentId == b.ParentId) { evidence += w.SameParent; reasons?.Add(new(MatchReasonCodes.SameParent)); }
        // A branch and its head office are two accounts on purpose.
        if (a.ParentId == b.Id || b.ParentId == a.Id) evidence += w.ParentChild;

        return new MatchResult(w.ToScore(evidence), reasons ?? (IReadOnlyList<MatchReason>)[]);
    }

    private static int Percent(double sim) => (int)Math.Round(100 * Math.Clamp(sim, 0, 1));

    /// <summary>Name evidence: whether names were compared, their weight, a 0..1 similarity and whether they are the same.</summary>
    internal static (bool Compared, double Weight, double Similarity, bool Same) NameEvidence(PreparedContact a, PreparedContact b, MatchWeights w)
    {
        if (!a.HasName || !b.HasName) return (false, 0, 0, false);
        var same = a.NameKey == b.NameKey;
        var weight = 0.0;
        var simSum = 0.0;
        var parts = 0;
        if (a.CjkName is { } ca && b.CjkName is { } cb)
        {
            var shortest = Math.Min(ca.Length, cb.Length);
            if (ca == cb) { weight += shortest >= 3 ? w.CjkName3Agree : w.CjkName2Agree; simSum += 1; }
            // The surname alone (刘总, 老王): it fits, but says little about which 刘 it is.
            else if (shortest == 1 && ca[0] == cb[0] && (PersonNameNormalizer.IsSurnameOnly(ca) || PersonNameNormalizer.IsSurnameOnly(cb)))
            { weight += w.CjkSurnameOnlyAgree; simSum += 0.5; }
            else
            {
                var sim = TextSimilarity.EditSimilarity(ca, cb);
                // One character off: a typo or a homophone (王小明, 王晓明; 王磊, 王蕾) unless it is the surname of a two-character name.
                var near = TextSimilarity.EditDistance(ca, cb) == 1 && (shortest >= 3 || ca[0] == cb[0]);
                weight += !near ? w.CjkNameDisagree : shortest >= 3 ? w.CjkNameNear : w.CjkName2Near;
                simSum += sim;
            }
            parts++;
        }
        if (a.LatinNameTokens.Length > 0 && b.LatinNameTokens.Length > 0)
        {
            var (lw, lsim, lsame) = LatinNameEvidence(a.LatinNameTokens, b.LatinNameTokens, w);
            weight += lw;
            simSum += lsim;
            same |= lsame && (a.CjkName == b.CjkName);
            parts++;
        }
        if (parts == 0) return (false, 0, 0, false); // one name in Chinese, the other in Latin letters
        return (true, weight, simSum / parts, same);
    }

    /// <summary>Latin names: tokens paired greedily by Jaro-Winkler (so swapped given name and surname still pair), initials pair with any token of that letter.</summary>
    internal static (double Weight, double Similarity, bool Same) LatinNameEvidence(string[] a, string[] b, MatchWeights w)
    {
        var na = Math.Min(a.Length, 6);
        var nb = Math.Min(b.Length, 6);
        Span<double> sims = stackalloc double[36];
        for (var i = 0; i < na; i++)
            for (var j = 0; j < nb; j++)
            {
                string x = a[i], y = b[j];
                double s;
                if (x.Length == 1 || y.Length == 1) s = x[0] == y[0] ? (x.Length == y.Length ? 0.99 : 0.9) : 0.01;
                else s = TextSimilarity.JaroWinkler(x, y);
                sims[i * 6 + j] = s;
            }
        Span<bool> usedA = stackalloc bool[6];
        Span<bool> usedB = stackalloc bool[6];
        var weight = 0.0;
        var simSum = 0.0;
        var pairs = 0;
        var allExact = true;
        var fullPairs = 0;
        for (var round = 0; round < Math.Min(na, nb); round++)
        {
            var best = -1.0;
            int bi = -1, bj = -1;
            for (var i = 0; i < na; i++)
            {
                if (usedA[i]) continue;
                for (var j = 0; j < nb; j++)
                    if (!usedB[j] && sims[i * 6 + j] > best) { best = sims[i * 6 + j]; bi = i; bj = j; }
            }
            usedA[bi] = usedB[bj] = true;
            var x = a[bi];
            var y = b[bj];
            if (x.Length == 1 || y.Length == 1)
            {
                weight += x[0] == y[0] ? w.InitialAgree : w.InitialDisagree;
                simSum += x[0] == y[0] ? 1 : 0;
                if (x[0] != y[0]) allExact = false;
            }
            else
            {
                weight += MatchWeights.Partial(best, w.NameSimLow, w.NameSimHigh, w.NameTokenDisagree, w.NameTokenAgree);
                simSum += best;
                fullPairs++;
                if (x != y) allExact = false;
            }
            pairs++;
        }
        var similarity = pairs == 0 ? 0 : simSum / pairs;
        // Tokens left over on the longer side (a middle name, a missing given name) lower the displayed similarity a little.
        var extra = Math.Abs(na - nb);
        if (extra > 0) similarity *= (double)pairs / (pairs + 0.5 * extra);
        return (Math.Min(weight, w.NameAgreeCap), similarity, allExact && fullPairs > 0 && na == nb);
    }

    /// <summary>0 = same date, 1 = one digit changed / day and month swapped / neighbouring digits swapped, 2 = two digits changed, 3 = different.</summary>
    internal static int CompareDates(DateOnly a, DateOnly b)
    {
        if (a == b) return 0;
        if (a.Year == b.Year && a.Month == b.Day && a.Day == b.Month) return 1;
        Span<char> x = stackalloc char[8];
        Span<char> y = stackalloc char[8];
        Digits(a, x);
        Digits(b, y);
        var diff = 0;
        int first = -1, second = -1;
        for (var i = 0; i < 8; i++)
            if (x[i] != y[i])
            {
                diff++;
                if (first < 0) first = i; else second = i;
            }
        if (diff == 1) return 1;
        if (diff == 2 && second == first + 1 && x[first] == y[second] && x[second] == y[first]) return 1;
        return diff == 2 ? 2 : 3;
    }

    private static void Digits(DateOnly d, Span<char> into)
    {
        d.Year.TryFormat(into[..4], out _, "D4");
        d.Month.TryFormat(into.Slice(4, 2), out _, "D2");
        d.Day.TryFormat(into.Slice(6, 2), out _, "D2");
    }

    /// <summary>Symmetric fuzzy token-set similarity in 0..1: each token counts with its best partner on the other side.</summary>
    internal static double TokenSetSimilarity(string[] a, string[] b)
    {
        var sum = BestMatches(a, b) + BestMatches(b, a);
        return sum / (a.Length + b.Length);
    }

    private static double BestMatches(string[] from, string[] to)
    {
        var total = 0.0;
        foreach (var x in from)
        {
            var best = 0.0;
            foreach (var y in to)
            {
                if (x == y) { best = 1; break; }
                var s = TokenSimilarity(x, y);
                if (s > best) best = s;
            }
            total += best;
        }
        return total;
    }

    /// <summary>Two address tokens: numbers must be equal or one digit off; words count by Jaro-Winkler above 0.8.</summary>
    private static double TokenSimilarity(string x, string y)
    {
        var xNum = char.IsDigit(x[0]);
        if (xNum != char.IsDigit(y[0])) return 0;
        if (xNum)
            return x.Length == y.Length && TextSimilarity.EditDistance(x, y) == 1 ? 0.5 : 0;
        if (x.Length < 3 || y.Length < 3) return 0;
        var jw = TextSimilarity.JaroWinkler(x, y);
        return jw >= 0.8 ? jw : 0;
    }

    /// <summary>Two city fields that name different places.</summary>
    private static bool CityConflict(PreparedAccount a, PreparedAccount b) =>
        a.City is not null && b.City is not null && a.City != b.City && (!a.CityKnown || !b.CityKnown || Places.Conflict(a.City, b.City));

    /// <summary>
    /// Company names, 0..1: equal cores; equal stems when at most one has a trade word ("五粮液" and "五粮液酒业");
    /// cores with the place removed from inside ("华润万家上海超市"); else string similarity of cores and of full names.
    /// Two different trade words ("中粮糖业", "中粮酒业") keep the similarity low.
    /// </summary>
    internal static double CompanySimilarity(PreparedAccount a, PreparedAccount b)
    {
        if (a.Name.Core == b.Name.Core) return 1;
        var tradeConflict = a.Trade.Length > 0 && b.Trade.Length > 0 && a.Trade != b.Trade;
        if (!tradeConflict && a.Stem == b.Stem) return 0.95;
        var sim = CoreSimilarity(a.Name.Core, b.Name.Core);
        if (a.Name.Full.Length > 0 && b.Name.Full.Length > 0) sim = Math.Max(sim, CoreSimilarity(a.Name.Full, b.Name.Full, typos: false) - 0.02);
        foreach (var place in new[] { a.Name.Place ?? a.City, b.Name.Place ?? b.City })
        {
            if (place is null) continue;
            var ca = a.Name.Core.Replace(place, "", StringComparison.Ordinal);
            var cb = b.Name.Core.Replace(place, "", StringComparison.Ordinal);
            if ((ca == a.Name.Core && cb == b.Name.Core) || ca.Length < 2 || cb.Length < 2) continue;
            if (CompanyNameNormalizer.IsGeneric(ca) || CompanyNameNormalizer.IsGeneric(cb)) continue;
            sim = Math.Max(sim, ca == cb ? 0.97 : CoreSimilarity(ca, cb) - 0.01);
        }
        return tradeConflict ? Math.Min(sim, 0.7) : sim;
    }

    /// <summary>String similarity of two name cores; with <paramref name="typos"/>, one wrong character in four or more still counts as the same name.</summary>
    private static double CoreSimilarity(string x, string y, bool typos = true)
    {
        if (x == y) return 1;
        var jw = TextSimilarity.JaroWinkler(x, y);
        var edit = TextSimilarity.EditSimilarity(x, y);
        var max = Math.Max(x.Length, y.Length);
        var dist = TextSimilarity.EditDistance(x, y);
        // One typo in a name of four or more characters is still the same name.
        var typo = !typos || dist != 1 ? 0 : max >= 4 ? 0.93 : max == 3 ? 0.86 : 0;
        var contained = x.Length >= 2 && y.Length >= 2 && (x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal))
            && !CompanyNameNormalizer.IsGeneric(x.Length < y.Length ? x : y)
            ? 0.85 + 0.1 * Math.Min(x.Length, y.Length) / max : 0;
        return Math.Max(Math.Max(0.5 * (jw + edit), typo), contained);
    }
}
