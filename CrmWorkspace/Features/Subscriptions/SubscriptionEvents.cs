using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>The one way circulation's writes publish: on the customer (and its ancestors) and the "subscriptions" scope.</summary>
public class SubscriptionEvents(IWorkspaceEvents events)
{
    public async Task PublishAsync(CrmDbContext db, EventKind kind, Subscription s, string summary, StaffIdentity actor, CancellationToken ct, string? assigneeId = null)
    {
        events.Publish(new WorkspaceEvent(kind, s.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, s.Id,
            await AccountService.AncestorsOfAsync(db, s.AccountId, ct), SubscriptionService.Scope, AssigneeId: assigneeId));
    }

    /// <summary>A change that is not about one customer (periodicals, issues, a batch of dispatches).</summary>
    public void Publish(WorkspaceEvent e) => events.Publish(e);
}
