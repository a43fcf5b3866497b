namespace CrmWorkspace.Features.Customers;

/// <summary>Marker for the customers feature's localised strings (Resources/Features/Customers/CustomersText.*.resx).</summary>
public class CustomersText;
