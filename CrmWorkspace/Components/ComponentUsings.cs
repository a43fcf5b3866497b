// The namespaces every component code-behind uses, as the .razor side has them through _Imports.razor.
global using CrmWorkspace.Components;
global using CrmWorkspace.Components.Shared;
global using CrmWorkspace.Domain;
global using CrmWorkspace.Features.Customers;
global using CrmWorkspace.Features.Duplicates;
global using CrmWorkspace.Features.Fairs;
global using CrmWorkspace.Features.Staff;
global using CrmWorkspace.Features.Subscriptions;
global using CrmWorkspace.Features.Timeline;
global using CrmWorkspace.Live;
global using Microsoft.AspNetCore.Components;
global using Microsoft.AspNetCore.Components.Web;
global using Microsoft.Extensions.Localization;
global using Microsoft.JSInterop;
global using CrmWorkspace.Features.KeyCustomers;
