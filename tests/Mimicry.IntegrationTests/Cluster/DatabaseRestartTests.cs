
namespace Mimicry.IntegrationTests.Cluster;

/// <summary>PostgreSQL restarts under a running loop: the silos retry through the outage and the loop finishes whole.</summary>
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task RestartingPostgresMidRun_PausesTheLoop_ThenItFinishesWithNothingLost()
    {
        const string loop = "pgrestart";
        var specFile = Path.Combine(Path.GetTempPath(), $"pgrestart-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, FailoverTests.SpecYaml(loop));
        var reference = FailoverTests.ReferenceNotebookAsync(specFile, loop);

        using var server = TestPostgres.StartPrivate();
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("restart", server.ConnectionString));
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var submit = await cluster.CliAsync("submit", specFile);
        Assert.True(submit.ExitCode == 0, submit.Stderr);

        var planned = 30 * 50;
        var acknowledged = new HashSet<string>();
        foreach (var fraction in new[] { 0.2, 0.5 })
        {
            await cluster.WaitForDaysAsync(loop, planned * fraction);
            acknowledged.UnionWith(await cluster.EntryKeysAsync(loop));
            server.Restart();
        }

        await cluster.WaitForStateAsync(loop, "Completed", TimeSpan.FromMinutes(4));
        Assert.Empty(acknowledged.Except(await cluster.EntryKeysAsync(loop)));
        Assert.All(cluster.Silos, s => Assert.False(s.HasExited, "a silo died during the database restart:\n" + cluster.Logs()));
        var notebook = await cluster.CliAsync("notebook", loop, "--format", "jsonl");
        Assert.True(notebook.ExitCode == 0, notebook.Stderr);
        Assert.True(await reference == notebook.Stdout, "the notebooks differ from the uninterrupted run's");
    }
}
