using Microsoft.Extensions.Configuration;
using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.Hosting;

/// <summary>
/// One model backend as an operator writes it (section <c>Mimicry:Backends:NAME</c>, in the silo's config or its
/// environment). The key is named, never written here: <see cref="ApiKeyVariable"/> or <see cref="ApiKeyFile"/> on the silo.
/// </summary>
public sealed class BackendSettings
{
    public const string Section = "Mimicry:Backends";

    public string? BaseUrl { get; set; }

    public string? ApiKeyVariable { get; set; }

    public string? ApiKeyFile { get; set; }

    /// <summary>The models specs may ask for; empty allows any.</summary>
    public List<string> Models { get; set; } = [];

    public int MaxConcurrency { get; set; } = 16;

    public int RequestsPerMinute { get; set; }

    public int TokensPerMinute { get; set; }

    public double InputPricePerMillion { get; set; }

    public double OutputPricePerMillion { get; set; }

    /// <summary>The price of input tokens served from the server's prompt cache; unset: the input price (no discount).</summary>
    public double? CachedInputPricePerMillion { get; set; }

    public string Currency { get; set; } = "USD";

    /// <summary>Every configured backend, checked; a problem names the setting.</summary>
    public static ModelBackends Load(IConfiguration configuration)
    {
        var all = new Dictionary<string, ModelBackend>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var s = new BackendSettings();
            try
            {
                section.Bind(s);
            }
            catch (InvalidOperationException ex)
            {
                throw new HostSettingsException(ex.Message.TrimEnd('.'));
            }
            var p = $"{Section}:{section.Key}:";
            if (!SpecReader.IsSlug(section.Key))
            {
                problems.Add($"{Section}:{section.Key}: a backend's name must be 1-64 lower-case letters, digits, '.', '_' or '-'");
            }
            if (LoopSpecRules.BaseUrlProblem(s.BaseUrl) is { } urlProblem)
            {
                problems.Add($"{p}BaseUrl: {urlProblem}");
            }
            if (s.ApiKeyVariable is { Length: > 0 } && s.ApiKeyFile is { Length: > 0 })
            {
                problems.Add($"{p}ApiKeyFile: set ApiKeyVariable or ApiKeyFile, not both");
            }
            if (s.ApiKeyFile is { Length: > 0 } file && !File.Exists(file))
            {
                problems.Add($"{p}ApiKeyFile: no such file on this silo: {file}");
            }
            if (s.MaxConcurrency is < 1 or > 10_000 || s.RequestsPerMinute < 0 || s.TokensPerMinute < 0)
            {
                problems.Add($"{p}MaxConcurrency: must be 1 to 10000, and RequestsPerMinute and TokensPerMinute 0 (no limit) or more");
            }
            if (!(s.InputPricePerMillion >= 0) || !(s.OutputPricePerMillion >= 0) || s.CachedInputPricePerMillion is < 0 or double.NaN)
            {
                problems.Add($"{p}InputPricePerMillion: prices must be 0 or more");
            }
            all[section.Key] = new ModelBackend(section.Key, s.BaseUrl ?? "", NullIfEmpty(s.ApiKeyVariable), NullIfEmpty(s.ApiKeyFile), s.Models,
                new RateLimitSpec(s.MaxConcurrency, s.RequestsPerMinute, s.TokensPerMinute), new PriceSpec(s.InputPricePerMillion, s.OutputPricePerMillion, s.Currency, s.CachedInputPricePerMillion));
        }
        if (problems.Count > 0)
        {
            throw new HostSettingsException(string.Join("; ", problems));
        }
        return new ModelBackends(all);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
