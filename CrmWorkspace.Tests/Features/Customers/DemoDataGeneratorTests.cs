using System.Text.RegularExpressions;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.DemoData;

namespace CrmWorkspace.Tests.Features.Customers;

public class DemoDataGeneratorTests
{
    private static List<(CrmWorkspace.Domain.Account Head, List<CrmWorkspace.Domain.Account> Branches)> Make(int seed) =>
        new DemoDataGenerator(new DemoDataSize(Accounts: 200, Seed: seed)).Companies(["owner-1", "owner-2"]).ToList();

    [Fact]
    public void The_same_seed_makes_the_same_trade()
    {
        var a = Make(7).Select(c => c.Head.Name + c.Head.Phone).ToList();
        var b = Make(7).Select(c => c.Head.Name + c.Head.Phone).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, Make(8).Select(c => c.Head.Name + c.Head.Phone).ToList());
    }

    [Fact]
    public void Company_names_read_like_place_brand_trade_and_legal_form()
    {
        var companies = Make(1);
        Assert.Equal(200, companies.Sum(c => 1 + c.Branches.Count));
        foreach (var (head, _) in companies)
        {
            Assert.Matches(new Regex("(有限公司|有限责任公司|股份有限公司|集团有限公司)$"), head.Name);
            Assert.DoesNotContain(" ", head.Name);
            Assert.StartsWith(head.Province!.Length > 0 && head.Name.StartsWith(head.Province) ? head.Province : head.City!, head.Name);
        }
        Assert.Contains(companies, c => c.Branches.Count > 0);
        Assert.All(companies.SelectMany(c => c.Branches), b => Assert.Matches("(分公司|办事处)\\d*$", b.Name));
        Assert.Equal(companies.Count, companies.Select(c => c.Head.Name).Distinct().Count());
    }

    [Fact]
    public void Contacts_have_real_format_mobiles_and_believable_birthdays()
    {
        var generator = new DemoDataGenerator(new DemoDataSize(Seed: 3));
        var head = generator.Companies(["o"]).First().Head;
        var contacts = Enumerable.Range(0, 50).SelectMany(_ => generator.Contacts(head, 2)).ToList();
        Assert.All(contacts, c =>
        {
            Assert.InRange(c.Name.Length, 2, 4);
            var mobile = c.Phones.First();
            Assert.Matches("^1[3-9]\\d{9}$", mobile.Number);
            Assert.Equal(PhoneNormalizer.ToE164(mobile.Number), mobile.E164);
        });
        Assert.All(contacts.Where(c => c.Birthday is not null), c => Assert.InRange(c.Birthday!.Value.Year, 1960, 2000));
        Assert.True(PhoneNormalizer.IsValid(head.Phone), $"landline {head.Phone} should be valid");
    }
}
