using System.Diagnostics;

namespace CrmWorkspace.Benchmarks;

/// <summary>Latency samples in milliseconds and their percentiles.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];
    public int Count => _ms.Count;
    public void Add(double ms) => _ms.Add(ms);

    /// <summary>The slowest samples with the iteration index that took them (to name what was slow: a term, a customer).</summary>
    public IEnumerable<(int Index, double Ms)> Slowest(int k) => _ms.Select((ms, i) => (i, ms)).OrderByDescending(x => x.ms).Take(k);

    public double P(double percentile)
    {
        if (_ms.Count == 0) return double.NaN;
        var sorted = _ms.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Times an action <paramref name="n"/> times after <paramref name="warmup"/> untimed runs.</summary>
    public static async Task<Samples> MeasureAsync(int n, Func<int, Task> action, int warmup = 5)
    {
        for (var i = 0; i < warmup; i++) await action(i);
        var s = new Samples();
        for (var i = 0; i < n; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await action(i);
            s.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        return s;
    }
}

/// <summary>One row of the report: a scenario, its floor measured in the same run, and its target.</summary>
public record Result(string Scenario, Samples Measured, string Floor, Samples? FloorSamples, string Target, double? TargetP95Ms, string? Note = null)
{
    public bool? Met => TargetP95Ms is { } t ? Measured.P(95) <= t : null;
}
