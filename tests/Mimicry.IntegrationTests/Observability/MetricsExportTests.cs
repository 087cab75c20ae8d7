using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mimicry.IntegrationTests.Observability;

/// <summary>
/// The scrape endpoint and what operators build on it: who may read it, and that the Grafana dashboards in deploy/
/// query only what the code exports while every exported family is either on a panel or listed as unpanelled in
/// docs/observability.md.
/// </summary>
public sealed partial class MetricsExportTests(MetricsFixture fixture) : IClassFixture<MetricsFixture>
{
    private static readonly string Root = FindRoot();

    [Fact]
    public async Task TheScrape_IsForAdminsOnly()
    {
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(fixture.Server.Url, "/metrics"))).StatusCode);
        foreach (var who in new[] { "operator", "reviewer", "researcher", "viewer", "revoked", "jwt-forged" })
        {
            using var http = fixture.Server.Http(who);
            var status = (await http.GetAsync(new Uri(fixture.Server.Url, "/metrics"))).StatusCode;
            Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{who} got {status}");
        }
        Assert.Contains("mimicry_sessions_total", await fixture.ScrapeAsync("admin"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheScrape_HasTheMetricsOperatorsNeed_WithBoundedLabels()
    {
        var families = MetricsFixture.Families(fixture.Scrape);
        string[] expected =
        [
            "mimicry_sessions_total", "mimicry_days_total", "mimicry_bits_total", "mimicry_bits_budget", "mimicry_day_duration_seconds",
            "mimicry_session_duration_seconds", "mimicry_sessions_queued", "mimicry_sessions_active", "mimicry_tokens_total", "mimicry_cost_total",
            "mimicry_model_requests_total", "mimicry_model_retries_total", "mimicry_model_admission_wait_seconds", "mimicry_model_concurrency_limit",
            "mimicry_probes_total", "mimicry_tripwire_hits_total", "mimicry_drift_cusum", "mimicry_reviews_held_total", "mimicry_reviews_waiting",
            "gen_ai_client_operation_duration_seconds", "gen_ai_client_token_usage",
            "orleans_catalog_activations", "dotnet_gc_collections_total", "http_server_request_duration_seconds",
        ];
        Assert.DoesNotContain(expected, e => !families.Contains(e));
        Assert.Matches("mimicry_model_retries_total\\{[^}]*mimicry_reason=\"throttled\"", fixture.Scrape);
        Assert.Matches("mimicry_tripwire_hits_total\\{[^}]*mimicry_detector=\"", fixture.Scrape);
        Assert.Matches("mimicry_probes_total\\{[^}]*mimicry_probe_event=\"answered\"", fixture.Scrape);
        // Three held, one decided: the gauge is what the review desk shows.
        var waiting = fixture.Scrape.Split('\n').Where(l => l.StartsWith("mimicry_reviews_waiting{", StringComparison.Ordinal) && l.Contains("metered-model", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fixture.PendingReviews);
        Assert.True(waiting.Count == 1 && waiting[0].Split(' ')[1] == "2", "reviews waiting: " + string.Join(" | ", waiting));
        // Never a branch, day, session or user as a label; never the model's URL path or the key.
        Assert.DoesNotMatch("mimicry_branch|mimicry_session=|mimicry_day_number", fixture.Scrape);
        Assert.DoesNotContain("sk-metrics-test", fixture.Scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("/v1", fixture.Scrape.Split('\n').Where(l => l.StartsWith("mimicry_", StringComparison.Ordinal)).Aggregate("", string.Concat), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryMetricTheGrafanaDashboardsQuery_IsExported()
    {
        var families = MetricsFixture.Families(fixture.Scrape);
        var queried = Dashboards().SelectMany(d => d.Metrics.Select(m => (d.File, m))).ToList();
        Assert.True(queried.Count > 30, $"only {queried.Count} metric references in the dashboards");
        var unknown = queried.Where(q => q.m != "up" && !families.Contains(q.m)).Select(q => $"{q.File}: {q.m}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "queried but not exported:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void EveryExportedMetric_IsOnAPanel_OrListedAsUnpanelled()
    {
        var panelled = Dashboards().SelectMany(d => d.Metrics).ToHashSet(StringComparer.Ordinal);
        var unpanelled = Unpanelled();
        var missing = MetricsFixture.Families(fixture.Scrape)
            .Where(f => !panelled.Contains(f) && !unpanelled.Any(u => u.EndsWith('*') ? f.StartsWith(u[..^1], StringComparison.Ordinal) : f == u))
            .ToList();
        Assert.True(missing.Count == 0, "exported, but on no panel and not in docs/observability.md's unpanelled list:\n" + string.Join("\n", missing));
    }

    [Theory]
    [InlineData("histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))", "http_server_request_duration_seconds")]
    [InlineData("max by (mimicry_backend, instance) (mimicry_model_concurrency_limit{mimicry_backend=~\"$backend\"})", "mimicry_model_concurrency_limit")]
    [InlineData("sum(mimicry_bits_total) / on (mimicry_loop) group_left max(mimicry_bits_budget)", "mimicry_bits_total mimicry_bits_budget")]
    public void TheQueryParser_FindsMetricNames_NotLabelsOrFunctions(string expr, string names) =>
        Assert.Equal(names.Split(' '), MetricNames(expr).ToArray());

    /// <summary>Each dashboard file with the metric names its queries use (histogram series folded into their family).</summary>
    private static IEnumerable<(string File, IReadOnlyList<string> Metrics)> Dashboards()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "deploy", "grafana", "dashboards"), "*.json");
        Assert.True(files.Length >= 3, "deploy/grafana/dashboards should hold the loops, models and cluster dashboards");
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var names = new List<string>();
            foreach (var expr in Exprs(doc.RootElement))
            {
                names.AddRange(MetricNames(expr));
            }
            yield return (Path.GetFileName(file), names);
        }
    }

    private static IEnumerable<string> Exprs(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name == "expr" && p.Value.ValueKind == JsonValueKind.String)
                {
                    yield return p.Value.GetString()!;
                }
                else if (p.Name == "query" && p.Value.ValueKind == JsonValueKind.String && LabelValues().Match(p.Value.GetString()!) is { Success: true } variable)
                {
                    // A template variable's label_values(METRIC, LABEL): the metric is queried, the label is not a metric.
                    yield return variable.Groups[1].Value;
                }
                foreach (var x in Exprs(p.Value))
                {
                    yield return x;
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                foreach (var x in Exprs(item))
                {
                    yield return x;
                }
            }
        }
    }

    /// <summary>
    /// Metric names in a PromQL expression: identifiers that are not functions, keywords, label names (inside braces
    /// or by/without/on/ignoring lists), durations, strings or Grafana variables.
    /// </summary>
    internal static IEnumerable<string> MetricNames(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Braces().Replace(text, "{}");
        text = Grouping().Replace(text, " ");
        text = Ranges().Replace(text, "[]");
        foreach (Match m in Identifier().Matches(text))
        {
            var name = m.Value;
            var after = text[(m.Index + m.Length)..].TrimStart();
            if (after.StartsWith('(') || Keywords.Contains(name) || (m.Index > 0 && text[m.Index - 1] == '$'))
            {
                continue;
            }
            yield return HistogramSuffix().Replace(name, "");
        }
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN" };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Braces();

    [GeneratedRegex("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("\\[[^\\]]*\\]")]
    private static partial Regex Ranges();

    [GeneratedRegex("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("^\\s*label_values\\(\\s*([^,]+),")]
    private static partial Regex LabelValues();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();

    /// <summary>The names and prefixes (ending in *) listed under docs/observability.md's "Not on a panel" heading.</summary>
    private static IReadOnlyList<string> Unpanelled()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "docs", "observability.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("## Not on a panel", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/observability.md has no '## Not on a panel' section");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .SelectMany(l => Regex.Matches(l, "`([a-z_:*]+)`").Select(m => m.Groups[1].Value)).ToList();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mimicry.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Mimicry.sln not found above the test's folder");
    }
}
