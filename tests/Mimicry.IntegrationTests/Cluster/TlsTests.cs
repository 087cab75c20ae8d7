using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>With TLS on, silos and clients holding the cluster's certificate work together; a silo without it cannot join.</summary>
public sealed class TlsTests
{
    private static string Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(Path.GetTempPath(), $"mimicry-{subject}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, cert.Export(X509ContentType.Pfx, "secret"));
        return path;
    }

    [Fact]
    public async Task SilosWithTheClusterCertificate_Form_ASiloWithAnother_CannotJoin()
    {
        var clusterCert = Certificate("mimicry-cluster");
        var strangerCert = Certificate("stranger");
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("tls"), extra: new Dictionary<string, string>
        {
            ["Mimicry__Cluster__Tls__Certificate"] = clusterCert,
            ["Mimicry__Cluster__Tls__CertificatePassword"] = "secret",
        });
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();

        // Clients use the HTTP API, not the silo-to-silo network the certificate protects.
        var ok = await cluster.CliAsync("status");
        Assert.True(ok.ExitCode == 0, ok.Stderr + cluster.Logs());

        var stranger = cluster.SiloEnvironment(TestPostgres.FreePort(), TestPostgres.FreePort());
        stranger["Mimicry__Cluster__Tls__Certificate"] = strangerCert;
        var joined = await CliProcess.RunAsync(TimeSpan.FromSeconds(120), stranger, "silo");
        // Either the join fails outright or the cluster declares the stranger dead; both end it with one sentence.
        Assert.True(joined.ExitCode == 1, $"exit {joined.ExitCode}: {joined.Stderr}");
        Assert.Matches("(?m)^mimicry: (the silo could not join cluster|the cluster declared this silo dead)", joined.Stderr);
        Assert.DoesNotMatch("(?m)^\\s+at ", joined.Stderr); // log lines are single lines, no stack traces
        Assert.All(cluster.Silos, s => Assert.False(s.HasExited));
    }
}
