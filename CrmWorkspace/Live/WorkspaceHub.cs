using System.Security.Claims;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CrmWorkspace.Live;

/// <summary>
/// Streams workspace events to signed-in non-browser clients. Clients join a group per customer or per team and
/// receive "event" messages with a <see cref="WorkspaceEvent"/>.
/// </summary>
[Authorize]
public class WorkspaceHub : Hub
{
    public const string Path = "/hubs/workspace";
    public static string CustomerGroup(int accountId) => $"customer:{accountId}";
    public static string TeamGroup(int teamId) => $"team:{teamId}";

    public Task JoinCustomer(int accountId) => Groups.AddToGroupAsync(Context.ConnectionId, CustomerGroup(accountId));

    public Task LeaveCustomer(int accountId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, CustomerGroup(accountId));

    /// <summary>Members hear their own team; managers and admins any team.</summary>
    public Task JoinTeam(int teamId)
    {
        var me = StaffIdentity.From(Context.User ?? new ClaimsPrincipal());
        if (me.TeamId != teamId && !me.IsManager) throw new HubException("You may only follow your own team.");
        return Groups.AddToGroupAsync(Context.ConnectionId, TeamGroup(teamId));
    }
}

/// <summary>Carries every workspace event to the hub groups of its customer, its ancestors and its team, on its own queue.</summary>
public sealed class HubBridge(IWorkspaceEvents events, IHubContext<WorkspaceHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(Topic.Workspace, async e =>
        {
            var groups = new List<string> { WorkspaceHub.CustomerGroup(e.AccountId) };
            groups.AddRange((e.AncestorAccountIds ?? []).Select(WorkspaceHub.CustomerGroup));
            if (e.TeamId is { } t) groups.Add(WorkspaceHub.TeamGroup(t));
            await hub.Clients.Groups(groups).SendAsync("event", e);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
