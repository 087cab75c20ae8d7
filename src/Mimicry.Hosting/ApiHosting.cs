using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mimicry.Api;
using Mimicry.Storage.Access;

namespace Mimicry.Hosting;

/// <summary>What every host that serves the API adds: the access store, its options (checked), the backends, the API.</summary>
internal static class ApiHosting
{
    public static ApiOptions Options(IConfiguration configuration)
    {
        var options = new ApiOptions();
        try
        {
            configuration.GetSection(ApiOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new HostSettingsException(ex.Message.TrimEnd('.'));
        }
        if (options.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new HostSettingsException(string.Join("; ", problems));
        }
        return options;
    }

    public static void AddApi(WebApplicationBuilder builder, IAccessStore access, ApiHostInfo info)
    {
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMimicryApi(Options(builder.Configuration), info);
    }
}
