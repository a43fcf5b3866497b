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
}
