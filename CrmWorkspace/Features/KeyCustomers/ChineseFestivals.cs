using System.Globalization;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>The festivals staff greet customers on.</summary>
public enum Festival { NewYear = 1, SpringFestival = 2, LanternFestival = 3, DragonBoat = 4, MidAutumn = 5, NationalDay = 6 }

/// <summary>
/// Festival dates by Gregorian year. Lunar ones (春节 1/1, 元宵 1/15, 端午 5/5, 中秋 8/15) come from .NET's
/// <see cref="ChineseLunisolarCalendar"/> (valid 1901–2100), tested against the published dates for 2025–2030; fixed ones
/// are 元旦 (1 January) and 国庆 (1 October).
/// </summary>
public static class ChineseFestivals
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    public static DateOnly DateOf(Festival f, int year) => f switch
    {
        Festival.NewYear => new DateOnly(year, 1, 1),
        Festival.NationalDay => new DateOnly(year, 10, 1),
        Festival.SpringFestival => FromLunar(year, 1, 1),
        Festival.LanternFestival => FromLunar(year, 1, 15),
        Festival.DragonBoat => FromLunar(year, 5, 5),
        Festival.MidAutumn => FromLunar(year, 8, 15),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>Festivals falling between two days (inclusive), in date order.</summary>
    public static IEnumerable<(Festival Festival, DateOnly Date)> Between(DateOnly from, DateOnly to)
    {
        for (var y = from.Year; y <= to.Year; y++)
            foreach (var f in Enum.GetValues<Festival>())
            {
                var d = DateOf(f, y);
                if (d >= from && d <= to) yield return (f, d);
            }
    }

    // A lunar year that starts in this Gregorian year; a leap month shifts the calendar's month index of later months by one.
    private static DateOnly FromLunar(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap != 0 && leap <= month ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }
}
