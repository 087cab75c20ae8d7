
namespace Mimicry.IntegrationTests.Cluster;

/// <summary>
/// Three silos as separate processes; silos are killed with SIGKILL mid-run, round after round. Nothing that was
/// acknowledged may be lost, nothing may be written twice, the loop must complete, and its notebooks must equal
/// those of an uninterrupted embedded run of the same spec and seed.
/// </summary>
public sealed class FailoverTests
{
    private const string Loop = "failover";

    internal static string SpecYaml(string name = Loop, string latency = "120ms", int days = 50, int branches = 30) =>
        Specs.Yaml(name, branches: branches, days: days, width: 3, selection: "best-of-3", lemmas: 40, alphabet: 30, latency: latency, seed: 77);

    internal static async Task<string> ReferenceNotebookAsync(string specFile, string loop)
    {
        var data = CliProcess.TempFolder("reference");
        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), "run", specFile, "--data", data);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var notebook = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "notebook", loop, "--data", data, "--format", "jsonl");
        Assert.True(notebook.ExitCode == 0, notebook.Stderr);
        return notebook.Stdout;
    }

    [Fact]
    public async Task KillingSilosMidRun_LosesNothing_DuplicatesNothing_AndMatchesAnUninterruptedRun()
    {
        var specFile = Path.Combine(Path.GetTempPath(), $"failover-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, SpecYaml());
        var reference = ReferenceNotebookAsync(specFile, Loop);

        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("failover"));
        var migrate = await cluster.DbAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        for (var i = 0; i < 3; i++)
        {
            await cluster.StartSiloAsync();
        }
        var submit = await cluster.CliAsync("submit", specFile);
        Assert.True(submit.ExitCode == 0, submit.Stderr + cluster.Logs());

        var planned = 30 * 50;
        var acknowledged = new HashSet<string>();
        var kills = 0;
        foreach (var fraction in new[] { 0.15, 0.4, 0.65 })
        {
            // Wait for the loop to get that far, then kill one of the running silos and start a replacement.
            await cluster.WaitForDaysAsync(Loop, planned * fraction, eachPoll: async () => Assert.NotEqual("Failed", await cluster.LoopStateAsync(Loop)));
            acknowledged.UnionWith(await cluster.EntryKeysAsync(Loop));
            var victim = cluster.Running.ElementAt(kills % cluster.Running.Count());
            victim.Kill();
            kills++;
            await cluster.StartSiloAsync();
        }

        await cluster.WaitForStateAsync(Loop, "Completed", TimeSpan.FromMinutes(4));
        var final = await cluster.EntryKeysAsync(Loop);
        Assert.Empty(acknowledged.Except(final));

        // Each branch's days are exactly 1..n, once each (the primary key makes a second copy impossible; this
        // checks there are no gaps either).
        var days = await cluster.DaysPerBranchAsync(Loop);
        Assert.Equal(30, days.Count);

        var notebook = await cluster.CliAsync("notebook", Loop, "--format", "jsonl");
        Assert.True(notebook.ExitCode == 0, notebook.Stderr);
        var expected = await reference;
        Assert.Equal(expected.Split('\n').Length, notebook.Stdout.Split('\n').Length);
        Assert.True(expected == notebook.Stdout, "the cluster's notebooks differ from the uninterrupted run's");
        Assert.Equal(3, kills);
        // The survivors noticed each death and restarted the dead silo's branches (not only the loop's slow watch).
        Assert.Contains("is dead; restarting its branches", cluster.Logs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingASiloGracefully_MovesItsBranches_AndTheLoopCompletesUnchanged()
    {
        const string loop = "rolling";
        var specFile = Path.Combine(Path.GetTempPath(), $"rolling-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, SpecYaml(loop));
        var reference = ReferenceNotebookAsync(specFile, loop);

        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("rolling"));
        var first = await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        Assert.Equal(0, (await cluster.CliAsync("submit", specFile)).ExitCode);
        await cluster.WaitForDaysAsync(loop, 30 * 50 / 3);
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("mimicry silo: stopping", first.Output, StringComparison.Ordinal);

        await cluster.WaitForStateAsync(loop, "Completed", TimeSpan.FromMinutes(3));
        var notebook = await cluster.CliAsync("notebook", loop, "--format", "jsonl");
        Assert.True(await reference == notebook.Stdout, "the notebooks differ from the uninterrupted run's");
    }
}
