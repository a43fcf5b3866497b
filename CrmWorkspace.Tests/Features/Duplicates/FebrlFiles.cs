namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>Finds the shared Febrl data sets from wherever the tests run.</summary>
public static class FebrlFiles
{
    /// <summary>The full path of a Febrl file, found by walking up from the test binaries to a folder holding shared/datasets/febrl.</summary>
    public static string Path(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "datasets", "febrl");
            if (Directory.Exists(candidate)) return System.IO.Path.Combine(candidate, fileName);
        }
        throw new DirectoryNotFoundException($"No shared/datasets/febrl above {AppContext.BaseDirectory}.");
    }
}
