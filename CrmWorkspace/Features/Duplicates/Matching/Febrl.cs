using System.Globalization;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Loads the Febrl synthetic person data sets (with known duplicates) and measures pair precision and recall on them.</summary>
public static class Febrl
{
    /// <summary>
    /// Reads a Febrl CSV file: records get ids 1..n in file order; <c>EntityOf</c> maps each id to its true entity ("rec-12").
    /// The social security number is deliberately not loaded.
    /// </summary>
    public static (List<ContactRecord> Records, Dictionary<int, string> EntityOf) Load(string path)
    {
        var records = new List<ContactRecord>();
        var entityOf = new Dictionary<int, string>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToList()
            ?? throw new InvalidDataException($"{path} is empty.");
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"{path} has no column {name}.");
        int recId = Col("rec_id"), given = Col("given_name"), surname = Col("surname"), number = Col("street_number"),
            address1 = Col("address_1"), address2 = Col("address_2"), suburb = Col("suburb"), postcode = Col("postcode"),
            state = Col("state"), dob = Col("date_of_birth");
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var f = line.Split(',').Select(v => v.Trim()).ToArray();
            string V(int i) => i < f.Length ? f[i] : "";
            var id = records.Count + 1;
            var rec = V(recId);
            var dash = rec.IndexOf('-', rec.IndexOf('-') + 1);
            entityOf[id] = dash > 0 ? rec[..dash] : rec;
            records.Add(new ContactRecord
            {
                Id = id,
                Name = Join(V(given), V(surname)),
                Address = Join(V(number), V(address1), V(address2), V(suburb), V(postcode), V(state)),
                Postcode = V(postcode).Length > 0 ? V(postcode) : null,
                Birthday = DateOnly.TryParseExact(V(dob), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
            });
        }
        return (records, entityOf);
    }

    /// <summary>Pair precision, recall and F1 of the found pairs against all pairs of records that share an entity.</summary>
    public static (double Precision, double Recall, double F1) Evaluate(List<(int A, int B, MatchResult R)> found, Dictionary<int, string> entityOf)
    {
        var truePairs = entityOf.GroupBy(kv => kv.Value).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        var distinct = found.Select(f => f.A < f.B ? (f.A, f.B) : (f.B, f.A)).Distinct().ToList();
        var correct = distinct.Count(p => entityOf.TryGetValue(p.Item1, out var x) && entityOf.TryGetValue(p.Item2, out var y) && x == y);
        var precision = distinct.Count == 0 ? 0 : (double)correct / distinct.Count;
        var recall = truePairs == 0 ? 0 : (double)correct / truePairs;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    /// <summary>Blocking recall: the share of true pairs (records sharing an entity) that are among the compared pairs.</summary>
    public static double BlockingRecall(IEnumerable<(int A, int B)> compared, Dictionary<int, string> entityOf)
    {
        var truePairs = entityOf.GroupBy(kv => kv.Value).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        var hit = compared.Select(p => p.A < p.B ? p : (p.B, p.A)).Distinct()
            .Count(p => entityOf.TryGetValue(p.Item1, out var x) && entityOf.TryGetValue(p.Item2, out var y) && x == y);
        return truePairs == 0 ? 1 : (double)hit / truePairs;
    }

    private static string? Join(params string[] parts)
    {
        var s = string.Join(" ", parts.Where(p => p.Length > 0));
        return s.Length == 0 ? null : s;
    }
}
