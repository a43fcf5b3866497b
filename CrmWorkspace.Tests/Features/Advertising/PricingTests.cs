using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;

namespace CrmWorkspace.Tests.Features.Advertising;

public class PricingTests
{
    private static readonly AdDiscountTier[] Tiers =
    [
        new() { Basis = AdDiscountBasis.Series, Threshold = 3, Percent = 5 },
        new() { Basis = AdDiscountBasis.Series, Threshold = 6, Percent = 10 },
        new() { Basis = AdDiscountBasis.Volume, Threshold = 200_000, Percent = 8 },
    ];

    [Theory]
    [InlineData(1, 50_000, 0)]        // one insertion, small order: list price
    [InlineData(3, 50_000, 5)]        // a series of 3
    [InlineData(5, 50_000, 5)]
    [InlineData(6, 50_000, 10)]       // a series of 6
    [InlineData(1, 200_000, 8)]       // a big order reaches the volume tier
    [InlineData(6, 250_000, 10)]      // the better of series and volume, never both
    public void The_best_tier_reached_applies(int quantity, decimal orderGross, decimal expected) =>
        Assert.Equal(expected, Pricing.CardDiscount(Tiers, quantity, orderGross));

    [Fact]
    public void Net_takes_the_card_discount_then_the_extra_discount_and_rounds_to_the_fen()
    {
        Assert.Equal(6 * 36_000m, Pricing.Net(36_000, 6, 0, 0));
        Assert.Equal(6 * 36_000m * 0.9m * 0.95m, Pricing.Net(36_000, 6, 10, 5));
        Assert.Equal(33.33m, Pricing.Net(33.333m, 1, 0, 0));
    }

    [Fact]
    public void Premium_positions_take_a_page_the_centre_spread_two_and_smaller_sizes_their_share() 
    {
        Assert.Equal(2m, AdInsertion.PagesOf(AdSize.Full, AdPosition.CentreSpread));
        Assert.Equal(1m, AdInsertion.PagesOf(AdSize.Full, AdPosition.RunOfBook));
        Assert.Equal(0.5m, AdInsertion.PagesOf(AdSize.Half, AdPosition.RunOfBook));
        Assert.Equal(0.25m, AdInsertion.PagesOf(AdSize.Quarter, AdPosition.RunOfBook));
    }

    [Fact]
    public void Later_steps_weigh_more_in_the_forecast()
    {
        var weights = Enum.GetValues<PipelineStep>().Select(Opportunity.Probability).ToList();
        Assert.Equal(weights.Order().ToList(), weights);
        Assert.Equal(1m, Opportunity.Probability(PipelineStep.Satisfied));
    }
}
