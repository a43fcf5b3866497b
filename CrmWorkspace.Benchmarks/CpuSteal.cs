namespace CrmWorkspace.Benchmarks;

/// <summary>
/// The share of the machine's CPU time the hypervisor gave to others over a phase ("steal" in /proc/stat): this machine is a
/// virtual one, and a phase measured while the host was busy elsewhere is slower for reasons that are not the app's.
/// </summary>
public readonly record struct CpuSteal(long Steal, long Total)
{
    public static CpuSteal Now()
    {
        if (!File.Exists("/proc/stat")) return default;
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return new CpuSteal(f.Length > 7 ? f[7] : 0, f.Sum());
    }

    /// <summary>Percent of all CPU time since <paramref name="start"/> that was stolen, as text ("3.1 %"; "?" where unknown).</summary>
    public string PercentSince(CpuSteal start)
    {
        var total = Total - start.Total;
        return total <= 0 ? "?" : $"{100.0 * (Steal - start.Steal) / total:F1} %";
    }
}
