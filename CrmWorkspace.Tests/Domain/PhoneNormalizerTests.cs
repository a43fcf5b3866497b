using CrmWorkspace.Domain.Normalization;

namespace CrmWorkspace.Tests.Domain;

public class PhoneNormalizerTests
{
    [Theory]
    [InlineData("13800138000", "+8613800138000")]
    [InlineData("138-0013-8000", "+8613800138000")]
    [InlineData("138 0013 8000", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "+8613800138000")]
    [InlineData("0086 138-0013-8000", "+8613800138000")]
    [InlineData("(028) 8555-1234", "+862885551234")]
    [InlineData("028-85551234", "+862885551234")]
    [InlineData("+86 28 8555 1234", "+862885551234")]
    public void Formats_people_type_become_one_E164_number(string typed, string expected) =>
        Assert.Equal(expected, PhoneNormalizer.ToE164(typed));

    [Theory]
    [InlineData("12345")]
    [InlineData("1380013800")]
    [InlineData("abc")]
    [InlineData("")]
    public void Invalid_numbers_are_rejected(string typed)
    {
        Assert.False(PhoneNormalizer.IsValid(typed));
        Assert.Null(PhoneNormalizer.ToE164(typed));
    }

    [Theory]
    [InlineData("138 0013", true)]
    [InlineData("四川宜宾", false)]
    [InlineData("1380", false)]
    public void Search_box_tells_a_phone_from_a_name(string typed, bool looksLikePhone) =>
        Assert.Equal(looksLikePhone, PhoneNormalizer.LooksLikePhone(typed));
}

public class EmailNormalizerTests
{
    [Theory]
    [InlineData(" Wang.Lei@Example.COM ", "wang.lei@example.com")]
    public void Emails_are_trimmed_and_lower_cased(string typed, string expected) => Assert.Equal(expected, EmailNormalizer.Normalize(typed));

    [Theory]
    [InlineData("wang@example.com", true)]
    [InlineData("wang@example", false)]
    [InlineData("wang example.com", false)]
    [InlineData("王@", false)]
    public void Invalid_emails_are_rejected(string typed, bool valid) => Assert.Equal(valid, EmailNormalizer.IsValid(typed));
}
