using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CrmWorkspace.Tests.Localization;

public class ResourceCompletenessTests
{
    private static string ResourcesDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "CrmWorkspace", "Resources");
            if (Directory.Exists(p)) return p;
        }
        throw new DirectoryNotFoundException("CrmWorkspace/Resources");
    }

    public static TheoryData<string> NeutralFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(ResourcesDir(), "*.resx", SearchOption.AllDirectories).Where(f => !f.EndsWith(".zh-Hans.resx")))
            data.Add(Path.GetRelativePath(ResourcesDir(), f));
        return data;
    }

    private static Dictionary<string, string> Load(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(e => e.Attribute("name")!.Value, e => e.Element("value")?.Value ?? "");

    [Theory]
    [MemberData(nameof(NeutralFiles))]
    public void Every_English_string_has_a_Chinese_translation(string relative)
    {
        var en = Load(Path.Combine(ResourcesDir(), relative));
        var zhPath = Path.Combine(ResourcesDir(), relative.Replace(".resx", ".zh-Hans.resx"));
        Assert.True(File.Exists(zhPath), $"missing {zhPath}");
        var zh = Load(zhPath);
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.All(zh, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"empty translation for '{kv.Key}'"));
    }

    /// <summary>A line the software writes is drawn from its template for each reader: a template missing from its family would show
    /// the writer's words to everyone, so every template in the code is in its family's English and Chinese files.</summary>
    [Fact]
    public void Every_template_of_a_line_the_software_writes_is_translated()
    {
        var app = Directory.GetParent(ResourcesDir())!.FullName;
        var found = Directory.GetFiles(app, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "LocalLine\\.Of<(\\w+)>\\(\"((?:[^\"\\\\]|\\\\.)*)\"").Select(m => (Family: m.Groups[1].Value, Key: m.Groups[2].Value)))
            .Distinct().ToList();
        Assert.True(found.Count >= 14, $"only {found.Count} templates found: is the pattern still LocalLine.Of<Family>(\"key\", ...)?");
        foreach (var (family, key) in found)
        {
            var neutral = Directory.GetFiles(ResourcesDir(), family + ".resx", SearchOption.AllDirectories).Single();
            Assert.True(Load(neutral).ContainsKey(key), $"{family}.resx has no \"{key}\"");
            Assert.True(Load(neutral.Replace(".resx", ".zh-Hans.resx")).ContainsKey(key), $"{family}.zh-Hans.resx has no \"{key}\"");
        }
    }

    [Fact]
    public void Every_kind_of_event_has_a_label_in_both_languages()
    {
        // The live panel and the timeline name what happened by its kind; a kind without a label showed its raw name ("opportunity.created").
        var neutral = Path.Combine(ResourcesDir(), "Features", "Timeline", "TimelineText.resx");
        foreach (var file in new[] { neutral, neutral.Replace(".resx", ".zh-Hans.resx") })
        {
            var labels = Load(file);
            var missing = Enum.GetValues<CrmWorkspace.Live.EventKind>().Select(k => $"Event.{CrmWorkspace.Live.EventKinds.Name(k)}")
                .Where(key => !labels.TryGetValue(key, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
            Assert.True(missing.Count == 0, $"{Path.GetFileName(file)} has no {string.Join(", ", missing)}");
        }
    }
}
