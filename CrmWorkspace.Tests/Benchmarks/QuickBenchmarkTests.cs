using CrmWorkspace.Benchmarks;

namespace CrmWorkspace.Tests.Benchmarks;

public class QuickBenchmarkTests
{
    [Fact]
    public async Task The_benchmark_command_still_runs_every_scenario_in_quick_mode()
    {
        var output = Path.Combine(Path.GetTempPath(), $"performance-quick-{Guid.NewGuid():N}.md");
        var exit = await BenchMain.Main(["quick", "--out", output]);
        Assert.Equal(0, exit);
        var report = await File.ReadAllTextAsync(output);
        foreach (var scenario in new[] { "Global search", "Customer list page", "Customer page", "First timeline page", "hub clients",
                     "Floor map of a", "open floor map", "confirmation letter", "Fair-booking report", "Server memory per open customer page",
                     "Save an activity with 0 circuits open", "same-customer pages shows it", "Renew from the desk", "each colleague's desk updated" })
            Assert.Contains(scenario, report);
        // Each measured row carries numbers, not placeholders.
        Assert.DoesNotContain("NaN", report);
    }
}
