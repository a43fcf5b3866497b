namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>The public Febrl data sets kept in the repository (CrmWorkspace.Tests/Data/febrl, with their source and licence).</summary>
public static class FebrlFiles
{
    /// <summary>The repository folder holding the Febrl files, relative to the repository root.</summary>
    public const string Folder = "CrmWorkspace.Tests/Data/febrl";

    /// <summary>The full path of a Febrl file, found by walking up from the test binaries to the repository root.</summary>
    public static string Path(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, Folder);
            if (Directory.Exists(candidate)) return System.IO.Path.Combine(candidate, fileName);
        }
        throw new DirectoryNotFoundException($"No {Folder} above {AppContext.BaseDirectory}.");
    }
}
