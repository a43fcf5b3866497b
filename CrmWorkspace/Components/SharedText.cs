namespace CrmWorkspace.Components;

/// <summary>Marker for strings shared by the shell and many pages (Resources/Components/SharedText.*.resx).</summary>
public class SharedText;
