using System.Security.Cryptography;
using System.Text;

namespace Mimicry.Text;

/// <summary>The content hash recorded in every entry's provenance: SHA-256 of the UTF-8 text, lower-case hex.</summary>
public static class ContentHash
{
    public static string Of(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
