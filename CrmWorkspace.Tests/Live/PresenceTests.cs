using CrmWorkspace.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmWorkspace.Tests.Live;

/// <summary>Presence follows the browser's connection: away at once when it drops, gone after 30 s, back on reconnect.</summary>
public class PresenceTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (PresenceService Presence, ManualClock Clock) New()
    {
        var clock = new ManualClock();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Presence:AwayDropSeconds"] = "30" }).Build();
        return (new PresenceService(NullLogger<PresenceService>.Instance, config, clock), clock);
    }

    [Fact]
    public void A_viewer_whose_connection_drops_is_away_at_once_and_gone_after_thirty_seconds()
    {
        var (presence, clock) = New();
        using var wang = presence.Enter(7, "circuit-wang", "u-wang", "王磊", 1, editing: false);
        using var li = presence.Enter(7, "circuit-li", "u-li", "李娜", 2, editing: true);

        presence.SetConnected("circuit-li", false);
        var away = presence.Viewers(7).Single(v => v.UserId == "u-li");
        Assert.True(away.Away);
        Assert.False(presence.Viewers(7).Single(v => v.UserId == "u-wang").Away);

        clock.Now += TimeSpan.FromSeconds(29);
        Assert.Equal(0, presence.DropStale());
        Assert.Equal(2, presence.Viewers(7).Count);

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(1, presence.DropStale());
        Assert.Equal(["u-wang"], presence.Viewers(7).Select(v => v.UserId));
        Assert.Equal(0, presence.DropStale());

        // The server still holds Li's circuit; when her browser reconnects minutes later she is back on the list.
        clock.Now += TimeSpan.FromMinutes(2);
        presence.SetConnected("circuit-li", true);
        Assert.Equal(["u-li", "u-wang"], presence.Viewers(7).Select(v => v.UserId).Order());
        Assert.False(presence.Viewers(7).Single(v => v.UserId == "u-li").Away);
    }

    [Fact]
    public void A_viewer_whose_circuit_reconnects_in_time_is_back_and_not_dropped()
    {
        var (presence, clock) = New();
        using var li = presence.Enter(7, "circuit-li", "u-li", "李娜", 2, editing: false);
        presence.SetConnected("circuit-li", false);
        clock.Now += TimeSpan.FromSeconds(20);
        presence.SetConnected("circuit-li", true);
        clock.Now += TimeSpan.FromSeconds(60);
        Assert.Equal(0, presence.DropStale());
        Assert.False(presence.Viewers(7).Single().Away);
    }

    [Fact]
    public async Task Watchers_hear_every_change_and_a_closed_circuit_leaves_every_customer_it_had_open()
    {
        var (presence, _) = New();
        var heard = 0;
        var changed = new SemaphoreSlim(0);
        using var watch = presence.Watch(7, () => { Interlocked.Increment(ref heard); changed.Release(); return Task.CompletedTask; });
        using var a = presence.Enter(7, "c1", "u-li", "李娜", 2, false);
        using var b = presence.Enter(8, "c1", "u-li", "李娜", 2, false);
        presence.SetConnected("c1", false);
        presence.RemoveCircuit("c1");
        for (var i = 0; i < 3; i++) Assert.True(await changed.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(presence.Viewers(7));
        Assert.Empty(presence.Viewers(8));
        Assert.Equal(3, heard);
    }
}
