using System.Globalization;
using CrmWorkspace.Features.Advertising;
using MudBlazor;

namespace CrmWorkspace.Features.Advertising.Pages;

public partial class PipelineBoard
{
    /// <summary>A choice in the customer picker.</summary>
    public record AccountOption(int Id, string Name);

    private MudDropContainer<OpportunityCard>? _container;
    private List<OpportunityCard>? _cards;
    private IReadOnlyList<ForecastRow> _forecast = [];
    private List<DateOnly> _months = [];
    private IReadOnlyList<StaffMember> _people = [];
    private StaffIdentity _me = default!;
    private string _view = "mine";
    private HashSet<int> _flash = [];
    private bool _adding, _saving;
    private AccountOption? _account;
    private OpportunityInput _input = new();
    private DateTime? _close = DateTime.Today.AddMonths(2);
    private string? _error;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    /// <summary>Cards drawn per step until someone asks for all of them: a board of thousands of deals stays quick to open and to update.</summary>
    public const int CardsPerStep = 25;
    private readonly HashSet<PipelineStep> _expanded = [];
    private HashSet<int> _shown = [];

    /// <summary>The cards drawn, the only ones the drop container is given (its zones walk their items on every render): one list, changed in place.</summary>
    private readonly List<OpportunityCard> _drawn = [];
    /// <summary>Each step's count and expected value, of all its cards (drawn or not).</summary>
    private Dictionary<PipelineStep, (int Count, decimal Sum)> _steps = [];
    private static readonly Dictionary<PipelineStep, string> Zones = Enum.GetValues<PipelineStep>().ToDictionary(s => s, s => s.ToString());
    private static string Zone(PipelineStep s) => Zones[s];

    /// <summary>The first cards of each step (by rank, then expected close), all of an expanded step.</summary>
    private void ChooseShown()
    {
        _shown = (_cards ?? []).GroupBy(c => c.Step)
            .SelectMany(g => _expanded.Contains(g.Key) ? g : g.Take(CardsPerStep)).Select(c => c.Id).ToHashSet();
        Counted();
    }

    /// <summary>The drawn list and the steps' figures again from the cards (after a read, a move or "show all").</summary>
    private void Counted()
    {
        _drawn.Clear();
        _drawn.AddRange((_cards ?? []).Where(c => _shown.Contains(c.Id)));
        _steps = (_cards ?? []).GroupBy(c => c.Step).ToDictionary(g => g.Key, g => (g.Count(), g.Sum(c => c.ExpectedValue)));
    }

    private void ShowAll(PipelineStep step)
    {
        _expanded.Add(step);
        ChooseShown();
        _container?.Refresh();
    }

    private static bool IsZh => CultureInfo.CurrentUICulture.Name.StartsWith("zh");
    private static string StepZh(PipelineStep s) => Ads.StepZh(s);

    /// <summary>Which board: mine (default), team, all, or person:{id}.</summary>
    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        if (View is "team" or "all" || View?.StartsWith("person:") == true) _view = View;
        _people = (await Staff.StaffAsync()).Where(s => s.TeamId is not null).ToList();
        // Every board listens to the pipeline: a colleague's move, new deal or lost deal re-reads this board, and the changed cards flash.
        Listen(Topic.Scope(PipelineService.Scope), async e =>
        {
            var before = _cards?.ToDictionary(c => c.Id, c => (c.Step, c.Version)) ?? [];
            await LoadAsync();
            _flash = _cards?.Where(c => !before.TryGetValue(c.Id, out var b) || b != (c.Step, c.Version)).Select(c => c.Id).ToHashSet() ?? [];
            _container?.Refresh();
        });
        await LoadAsync();
    }

    private (string? Owner, int? Team) Filter() => _view switch
    {
        "mine" => (_me.Id, null),
        "team" => (null, _me.TeamId),
        "all" => (null, null),
        var v when v.StartsWith("person:") => (v["person:".Length..], null),
        _ => (_me.Id, null),
    };

    private async Task LoadAsync()
    {
        var (owner, team) = Filter();
        // One list, changed in place: the drop container's zones re-read the list they were given when refreshed.
        var cards = await Pipeline.BoardAsync(owner, team);
        _cards ??= [];
        _cards.Clear();
        _cards.AddRange(cards);
        ChooseShown();
        // The forecast is of the same open deals: counted from the cards just read, not read again.
        _forecast = PipelineService.Forecast(_cards);
        _months = _forecast.Select(f => new DateOnly(f.Year, f.Month, 1)).Distinct().Order().ToList();
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        LiveRecovered();
        _container?.Refresh();
    }

    private async Task ChangeViewAsync(string v)
    {
        _view = v;
        await ReloadAsync();
    }

    private async Task DroppedAsync(MudItemDropInfo<OpportunityCard> drop)
    {
        if (drop.Item is null || !Enum.TryParse<PipelineStep>(drop.DropzoneIdentifier, out var to)) return;
        await MoveAsync(drop.Item, to);
    }

    /// <summary>Moves a card (by drag or by its arrow buttons). The writer sees the result at once; a refusal puts the card back and says why.</summary>
    private async Task MoveAsync(OpportunityCard card, PipelineStep to)
    {
        if (to == card.Step || _cards is null) return;
        var r = await Pipeline.MoveAsync(card.Id, to, card.Version, _me);
        if (r.Ok)
        {
            var i = _cards.FindIndex(c => c.Id == card.Id);
            if (i >= 0) _cards[i] = card with { Step = to, Version = r.Version!.Value };
            Counted();
            Snackbar.Add(L["{0} moved to {1}.", card.AccountName, Pipeline.StepLabel(to)], Severity.Success);
        }
        else
        {
            Snackbar.Add(r.Problem, Severity.Error);
            await LoadAsync();
        }
        _container?.Refresh();
    }

    private async Task LoseAsync(OpportunityCard card, LostReason reason)
    {
        var r = await Pipeline.LoseAsync(card.Id, reason, card.Version, _me);
        if (r.Ok) Snackbar.Add(L["{0} marked lost: {1}.", card.AccountName, L[$"LostReason.{reason}"]], Severity.Info);
        else Snackbar.Add(r.Problem, Severity.Error);
        await LoadAsync();
        _container?.Refresh();
    }

    private int _searchSeq;

    private async Task<IEnumerable<AccountOption>> SearchAccounts(string text, CancellationToken ct)
    {
        var seq = ++_searchSeq;
        var term = text?.Trim() ?? "";
        if (term.Length == 0) return [];
        var found = await Accounts.FindParentsAsync(term, 0, ct);
        if (seq != _searchSeq) throw new OperationCanceledException(ct);
        return found.Where(a => a.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(a => new AccountOption(a.Id, a.Name));
    }

    private async Task CreateAsync()
    {
        _saving = true;
        try
        {
            _input.AccountId = _account?.Id ?? 0;
            if (_close is { } d) _input.ExpectedClose = DateOnly.FromDateTime(d);
            var r = await Pipeline.CreateAsync(_input, _me);
            _errors = r.Errors ?? new Dictionary<string, string>();
            _error = r.Error;
            if (!r.Ok) return;
            Snackbar.Add(L["Opportunity created for {0}.", _account!.Name], Severity.Success);
            _adding = false;
            _input = new OpportunityInput();
            _account = null;
            await LoadAsync();
            _container?.Refresh();
        }
        finally { _saving = false; }
    }
}
