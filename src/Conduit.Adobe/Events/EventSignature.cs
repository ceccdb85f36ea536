using System;
using System.Security.Cryptography;

namespace Conduit.Adobe.Events;

/// <summary>Adobe I/O Events' digital signatures: RSA-SHA256 (PKCS #1 v1.5) over the raw body, base64 in a header.</summary>
internal static class EventSignature
{
    /// <summary>The signature and key-path headers, as pairs; a delivery is genuine if either pair verifies.</summary>
    public static readonly (string Signature, string KeyPath)[] Headers =
    [
        ("x-adobe-digital-signature-1", "x-adobe-public-key1-path"),
        ("x-adobe-digital-signature-2", "x-adobe-public-key2-path"),
    ];

    /// <summary>Whether <paramref name="signature"/> (base64) is the signature of <paramref name="body"/> by the key in <paramref name="pem"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string signature, string pem)
    {
        var bytes = new byte[(signature.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(signature, bytes, out var length))
        {
            return false;
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.VerifyData(body, bytes.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
