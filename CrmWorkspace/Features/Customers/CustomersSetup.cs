namespace CrmWorkspace.Features.Customers;

public static class CustomersSetup
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddScoped<CustomerValidation>();
        services.AddScoped<AccountService>();
        services.AddScoped<ContactService>();
        return services;
    }
}
