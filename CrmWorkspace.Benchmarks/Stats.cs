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

    /// <summary>
    /// Runs an action untimed until the process's code is steady: the JIT (which compiles hot methods again, optimised, in the
    /// background) compiled fewer than <paramref name="perSecond"/> methods over the last second, after at least 30 runs, or
    /// <paramref name="limit"/> seconds have passed. A page's code runs unoptimised for its first 30 calls and is compiled again
    /// on a background thread; on 2 cores that compile competes with the samples, which a server up for a minute no longer pays.
    /// (The app's background jobs keep the count from ever standing still.) Returns how long it took and how many runs.
    /// </summary>
    public static async Task<(double Seconds, int Runs, bool Steady)> SteadyAsync(Func<int, Task> action, int perSecond = 10, double limit = 20)
    {
        var sw = Stopwatch.StartNew();
        var runs = 0;
        var marks = new Queue<(TimeSpan At, long Count)>();
        while (sw.Elapsed.TotalSeconds < limit)
        {
            await action(runs++);
            var now = (sw.Elapsed, System.Runtime.JitInfo.GetCompiledMethodCount());
            marks.Enqueue(now);
            while (marks.Count > 1 && (now.Elapsed - marks.Peek().At).TotalSeconds > 1) marks.Dequeue();
            var first = marks.Peek();
            if (runs >= 30 && (now.Elapsed - first.At).TotalSeconds >= 0.9 && now.Item2 - first.Count < perSecond) return (sw.Elapsed.TotalSeconds, runs, true);
        }
        return (sw.Elapsed.TotalSeconds, runs, false);
    }
}

/// <summary>One row of the report: a scenario, its floor measured in the same run, and its target.</summary>
public record Result(string Scenario, Samples Measured, string Floor, Samples? FloorSamples, string Target, double? TargetP95Ms, string? Note = null)
{
    public bool? Met => TargetP95Ms is { } t ? Measured.P(95) <= t : null;
}
