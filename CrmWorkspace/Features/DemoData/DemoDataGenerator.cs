using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using static CrmWorkspace.Features.DemoData.TradeVocabulary;

namespace CrmWorkspace.Features.DemoData;

/// <summary>How much demo data to make; the same seed always makes the same data.</summary>
/// <param name="Now">The moment the demo company's history leads up to (default: now); stamps are placed relative to it.</param>
public record DemoDataSize(int Accounts = 300, double BranchShare = 0.15, int ContactsPerAccount = 3, int Seed = 2026, DateTimeOffset? Now = null);

/// <summary>Deterministic generator of a believable sugar &amp; liquor trade: companies, branches, contacts.</summary>
public class DemoDataGenerator(DemoDataSize size)
{
    private readonly Random _rng = new(size.Seed);
    private readonly HashSet<string> _names = [];
    // Stamps hang off one anchor (today, 09:00) so the same seed on the same day gives the same rows.
    private readonly DateTimeOffset _anchor = new DateTimeOffset((size.Now ?? DateTimeOffset.Now).ToLocalTime().Date.AddHours(9), (size.Now ?? DateTimeOffset.Now).ToLocalTime().Offset).ToUniversalTime();

    /// <summary>The moment the generated history leads up to.</summary>
    public DateTimeOffset Now { get; } = size.Now ?? DateTimeOffset.Now;

    /// <summary>Yields head offices, each followed by its branches (ParentId is set once the head office has an id).</summary>
    public IEnumerable<(Account Head, List<Account> Branches)> Companies(IReadOnlyList<string> ownerIds)
    {
        var made = 0;
        while (made < size.Accounts)
        {
            var head = Company(ownerIds);
            made++;
            var branches = new List<Account>();
            if (_rng.NextDouble() < size.BranchShare)
            {
                var count = _rng.Next(1, 4);
                for (var i = 0; i < count && made < size.Accounts; i++, made++) branches.Add(Branch(head, ownerIds));
            }
            yield return (head, branches);
        }
    }

    private Account Company(IReadOnlyList<string> ownerIds)
    {
        var (province, city, area) = Pick(Places);
        var trade = Pick(Trades);
        string name;
        var attempt = 0;
        do
        {
            var place = _rng.NextDouble() < 0.5 ? province + city : city;
            var brand = Pick(Brands) + (attempt > 3 ? Pick(Brands) : "");
            name = place + brand + trade.Word + Pick(LegalForms);
            attempt++;
        } while (!_names.Add(name));
        var brandShort = name[(name.IndexOf(city, StringComparison.Ordinal) + city.Length)..];
        var account = Base(province, city, area, ownerIds);
        account.Name = name;
        account.ShortName = brandShort.Replace(trade.Word, "").Replace("集团", "").Replace("股份", "").Replace("有限责任公司", "").Replace("有限公司", "") + trade.Word;
        account.Stage = trade.Stage;
        account.BusinessType = trade.Type;
        account.ProductLines = trade.Line | (_rng.NextDouble() < 0.3 ? Pick(Trades).Line : ProductLines.None);
        return account;
    }

    private Account Branch(Account head, IReadOnlyList<string> ownerIds)
    {
        var (province, city, area) = Pick(Places);
        var kind = _rng.NextDouble() < 0.6 ? "分公司" : "办事处";
        var name = $"{head.Name}{city}{kind}";
        for (var n = 2; !_names.Add(name); n++) name = $"{head.Name}{city}{kind}{n}";
        var b = Base(province, city, area, ownerIds);
        b.Name = name;
        b.ShortName = $"{head.ShortName}{city}{kind}";
        b.Stage = head.Stage;
        b.BusinessType = head.BusinessType;
        b.ProductLines = head.ProductLines;
        b.Tier = (AccountTier)Math.Min(4, (int)head.Tier + 1);
        return b;
    }

    private Account Base(string province, string city, string area, IReadOnlyList<string> ownerIds)
    {
        var landline = Landline(area);
        var roll = _rng.NextDouble();
        return new Account
        {
            Province = province,
            City = city,
            Address = $"{province}省{city}市{Pick(Streets)}{_rng.Next(1, 999)}号".Replace("北京省北京市", "北京市").Replace("上海省上海市", "上海市")
                .Replace("天津省天津市", "天津市").Replace("重庆省重庆市", "重庆市").Replace("广西省", "广西").Replace("新疆省", "新疆").Replace("宁夏省", "宁夏").Replace("内蒙古省", "内蒙古"),
            Phone = landline,
            PhoneE164 = PhoneNormalizer.ToE164(landline),
            Website = _rng.NextDouble() < 0.4 ? $"www.{Pinyinish()}.com.cn" : null,
            Tier = roll < 0.08 ? AccountTier.A : roll < 0.3 ? AccountTier.B : roll < 0.75 ? AccountTier.C : AccountTier.D,
            Status = roll < 0.03 ? AccountStatus.Restricted : roll < 0.6 ? AccountStatus.Active : roll < 0.85 ? AccountStatus.Prospect : AccountStatus.Dormant,
            OwnerId = ownerIds.Count == 0 ? null : ownerIds[_rng.Next(ownerIds.Count)],
            IntendsToSubscribe = _rng.NextDouble() < 0.3,
            IntendsToExhibit = _rng.NextDouble() < 0.25,
            IntendsToAdvertise = _rng.NextDouble() < 0.2,
            CreatedAt = _anchor.AddDays(-_rng.Next(30, 2000)),
            UpdatedAt = _anchor.AddDays(-_rng.Next(0, 30)),
            Version = Guid.NewGuid(),
        };
    }

    /// <summary>
    /// A few customers with English names (joint ventures and importers); draw them after <see cref="Companies"/> so the
    /// Chinese trade stays the same for a seed.
    /// </summary>
    public List<Account> EnglishCompanies(int count, IReadOnlyList<string> ownerIds)
    {
        var list = new List<Account>();
        foreach (var (name, shortName, lines, type, stage, city) in ForeignCompanies.Take(count))
        {
            var (province, _, area) = Places.First(p => p.City == city);
            var account = Base(province, city, area, ownerIds);
            account.Name = name;
            account.ShortName = shortName;
            account.ProductLines = lines;
            account.BusinessType = type;
            account.Stage = stage;
            account.Website = $"www.{shortName.ToLowerInvariant().Replace(" ", "")}.cn";
            if (!_names.Add(name)) continue;
            list.Add(account);
        }
        return list;
    }

    /// <summary>Contacts for one company: names, real-format mobiles and landlines, birthdays.</summary>
    public List<Contact> Contacts(Account account, int? count = null)
    {
        var n = count ?? Math.Max(1, size.ContactsPerAccount + _rng.Next(-2, 3));
        var list = new List<Contact>(n);
        for (var i = 0; i < n; i++)
        {
            var name = PersonName();
            var mobile = Mobile();
            var c = new Contact
            {
                Name = name,
                Title = Pick(Titles),
                Department = Pick(Departments),
                IsKeyContact = i == 0,
                Birthday = _rng.NextDouble() < 0.7 ? new DateOnly(_rng.Next(1960, 2000), _rng.Next(1, 13), _rng.Next(1, 29)) : null,
                CreatedAt = account.CreatedAt,
                UpdatedAt = account.UpdatedAt,
                Version = Guid.NewGuid(),
            };
            c.Phones.Add(new ContactPhone { Number = mobile, E164 = PhoneNormalizer.ToE164(mobile)!, Kind = PhoneKind.Mobile });
            if (_rng.NextDouble() < 0.3 && account.Phone is { } office && account.PhoneE164 is not null)
                c.Phones.Add(new ContactPhone { Number = office, E164 = account.PhoneE164!, Kind = PhoneKind.Office });
            if (_rng.NextDouble() < 0.5)
                c.Emails.Add(new ContactEmail { Address = $"{Pinyinish()}{_rng.Next(1, 999)}@{(_rng.NextDouble() < 0.5 ? "163.com" : "qq.com")}" });
            list.Add(c);
        }
        return list;
    }

    /// <summary>The English name a foreign-invested customer's key contact goes by.</summary>
    public string EnglishName() => Pick(EnglishGivenNames) + " " + Pick(EnglishSurnames);

    public string PersonName() => Pick(Surnames) + Pick(GivenChars) + (_rng.NextDouble() < 0.6 ? Pick(GivenChars) : "");

    public string Mobile()
    {
        for (var i = 0; ; i++)
        {
            var n = Pick(MobilePrefixes) + _rng.Next(0, 100_000_000).ToString("D8");
            if (PhoneNormalizer.IsValid(n) || i > 20) return n;
        }
    }

    // Local numbers are 8 digits almost everywhere now (7 in a few small cities); keep only what libphonenumber accepts.
    private string Landline(string area)
    {
        for (var i = 0; i < 40; i++)
        {
            var n = i < 20 ? $"{area}-{_rng.Next(2, 9)}{_rng.Next(0, 10_000_000):D7}" : $"{area}-{_rng.Next(2, 9)}{_rng.Next(0, 1_000_000):D6}";
            if (PhoneNormalizer.IsValid(n)) return n;
        }
        return Mobile();
    }

    private string Pinyinish()
    {
        const string letters = "abcdefghjklmnpqrstwxyz";
        var len = _rng.Next(4, 9);
        return new string(Enumerable.Range(0, len).Select(_ => letters[_rng.Next(letters.Length)]).ToArray());
    }

    private T Pick<T>(IReadOnlyList<T> list) => list[_rng.Next(list.Count)];
}
