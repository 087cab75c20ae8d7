namespace Mimicry.IntegrationTests.Cluster;

/// <summary>The client commands against a running cluster, and what brings a loop back after every silo is gone.</summary>
public sealed class ClusterCommandsTests
{
    [Fact]
    public async Task Submit_Status_Cancel_WorkThroughTheApi()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("commands"));
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var specFile = Path.Combine(Path.GetTempPath(), $"commands-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, FailoverTests.SpecYaml("to-cancel", latency: "200ms", days: 250));

        var submit = await cluster.CliAsync("submit", specFile);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        Assert.StartsWith("Submitted loop 'to-cancel': running, 30 branches × 250 days.", submit.Stdout, StringComparison.Ordinal);
        await cluster.WaitForDaysAsync("to-cancel", 60);

        var status = await cluster.CliAsync("status", "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using (var doc = System.Text.Json.JsonDocument.Parse(status.Stdout))
        {
            var loop = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("to-cancel", loop.GetProperty("loop").GetString());
            Assert.Equal("running", loop.GetProperty("status").GetString());
            Assert.True(loop.GetProperty("days").GetInt64() >= 60);
        }

        // The same name with another spec is refused, and changes nothing.
        var changed = Path.Combine(Path.GetTempPath(), $"changed-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(changed, FailoverTests.SpecYaml("to-cancel", latency: "200ms", days: 249));
        var refused = await cluster.CliAsync("submit", changed);
        Assert.Equal(2, refused.ExitCode);
        Assert.Matches("^mimicry: changed-[0-9a-f]+\\.yaml: name: a loop named 'to-cancel' already exists in postgresql://127\\.0\\.0\\.1:[0-9]+/mimicry_commands_[0-9a-f]+ with a different spec; give the changed spec a new name$", refused.Stderr.Trim());

        var cancel = await cluster.CliAsync("cancel", "to-cancel");
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Matches("^Loop 'to-cancel': stopped \\(cancelled by .+\\); [0-9,]+ days committed are kept\\.", cancel.Stdout);
        Assert.Equal("Stopped", await cluster.LoopStateAsync("to-cancel"));
        var atCancel = (await cluster.DaysPerBranchAsync("to-cancel")).Values.Sum();
        await Task.Delay(2000);
        // Days already being committed may land; after that, nothing moves.
        var later = (await cluster.DaysPerBranchAsync("to-cancel")).Values.Sum();
        Assert.True(later <= atCancel + 30, $"{later - atCancel} days were committed after the cancel");
        await Task.Delay(1000);
        Assert.Equal(later, (await cluster.DaysPerBranchAsync("to-cancel")).Values.Sum());

        var unknown = await cluster.CliAsync("cancel", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Matches("^mimicry: no loop named 'nope' in postgresql://127\\.0\\.0\\.1:[0-9]+/mimicry_commands_[0-9a-f]+ \\(it holds: to-cancel\\)$", unknown.Stderr.Trim());
    }

    [Fact]
    public async Task AfterEverySiloIsKilled_NewSilosResumeTheLoop_FromTheDatabase()
    {
        const string loop = "full-restart";
        var specFile = Path.Combine(Path.GetTempPath(), $"restart-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, FailoverTests.SpecYaml(loop));
        var reference = FailoverTests.ReferenceNotebookAsync(specFile, loop);

        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("fullrestart"));
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        Assert.Equal(0, (await cluster.CliAsync("submit", specFile)).ExitCode);
        await cluster.WaitForDaysAsync(loop, 30 * 50 / 3);
        foreach (var silo in cluster.Silos.ToList())
        {
            silo.Kill();
        }
        var acknowledged = await cluster.EntryKeysAsync(loop);

        // Nobody submits again: the new silos find the running loop in the database and resume it.
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.WaitForStateAsync(loop, "Completed", TimeSpan.FromMinutes(3));
        Assert.Empty(acknowledged.Except(await cluster.EntryKeysAsync(loop)));
        var notebook = await cluster.CliAsync("notebook", loop, "--format", "jsonl");
        Assert.True(await reference == notebook.Stdout, "the notebooks differ from the uninterrupted run's");
    }

    [Fact]
    public async Task Calibration_OnACluster_PausesADriftingLoop_AndTheInboxWorksThroughTheGateway()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("calibration"));
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var spec = await Calibration.CalibrationLoopTests.SpecFileAsync(Calibration.CalibrationLoopTests.Yaml("cluster-drift", drift: 0.6));
        Assert.Equal(0, (await cluster.CliAsync("submit", spec)).ExitCode);
        await cluster.WaitForStateAsync("cluster-drift", "Paused", TimeSpan.FromMinutes(2));

        var status = await cluster.CliAsync("status", "--json");
        using (var doc = System.Text.Json.JsonDocument.Parse(status.Stdout))
        {
            var loop = doc.RootElement[0];
            Assert.Equal("paused", loop.GetProperty("status").GetString());
            Assert.StartsWith("drift: the drift test fired", loop.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("fired", loop.GetProperty("calibration").GetProperty("drift").GetString(), StringComparison.Ordinal);
        }
        // Every probe taken was answered by the synthetic calibrator; how many depends on the silos' pace. A branch
        // that was scoring its day's probe when the loop paused finishes that day, so the last answers may come a
        // moment after the pause.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await cluster.CliAsync("probes", "list", "--loop", "cluster-drift", "--json");
            Assert.True(list.ExitCode == 0, list.Stderr);
            using var doc = System.Text.Json.JsonDocument.Parse(list.Stdout);
            Assert.True(doc.RootElement.GetArrayLength() >= 8, list.Stdout);
            if (doc.RootElement.EnumerateArray().All(p => p.GetProperty("state").GetString() == "answered") || DateTime.UtcNow > deadline)
            {
                Assert.All(doc.RootElement.EnumerateArray(), p => Assert.Equal("answered", p.GetProperty("state").GetString()));
                break;
            }
            await Task.Delay(250);
        }
        var resume = await cluster.CliAsync("resume", "cluster-drift");
        Assert.True(resume.ExitCode == 0, $"exit {resume.ExitCode}; stdout: {resume.Stdout}; stderr: {resume.Stderr}");
        Assert.StartsWith("Loop 'cluster-drift' resumed; the drift test starts over after the probes scored so far. It runs on the server at", resume.Stdout.Trim(), StringComparison.Ordinal);
    }
}
