using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// Mutual TLS between silos and clients. Every node presents a certificate and accepts only a peer whose
/// certificate is the cluster's own (the same certificate, by thumbprint): a node without it cannot join or call.
/// </summary>
public static class ClusterTls
{
    public static void Configure(TlsOptions o, X509Certificate2 certificate, TlsSettings settings)
    {
        _ = settings;
        o.LocalCertificate = certificate;
        o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        o.HandshakeTimeout = TimeSpan.FromSeconds(5);
        var thumbprint = certificate.Thumbprint;
        o.RemoteCertificateValidation = (remote, _, errors) =>
            remote is not null
            && string.Equals(remote.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)
            && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None;
    }
}
