using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Conduit.Adobe.Tests.Infrastructure;

/// <summary>Signs deliveries as Adobe I/O Events does, with two key pairs of the tests' own.</summary>
public sealed class EventSigner : IDisposable
{
    public const string Path1 = "/prod/keys/pub-key-11111111-1111-1111-1111-111111111111.pem";
    public const string Path2 = "/prod/keys/pub-key-22222222-2222-2222-2222-222222222222.pem";

    private readonly RSA _key1 = RSA.Create(2048);
    private readonly RSA _key2 = RSA.Create(2048);

    /// <summary>The public keys a receiver trusts, by path.</summary>
    public IReadOnlyDictionary<string, string> PublicKeys => new Dictionary<string, string>
    {
        [Path1] = _key1.ExportSubjectPublicKeyInfoPem(),
        [Path2] = _key2.ExportSubjectPublicKeyInfoPem(),
    };

    /// <summary>A photoshop-job-status payload, as the service sends it.</summary>
    public static string Payload(string eventId = "e-1", string jobId = "urn:ff:jobs:1", string recipient = ReceiverHost.ClientId) => """
        {"event_id":"EVENT","event":{"header":{"msgType":"JOB_COMPLETION_STATUS","msgId":"m-EVENT","imsOrgId":"ORG@AdobeOrg","eventCode":"photoshop-job-status"},"body":{"jobId":"JOB","outputs":[{"status":"succeeded"}],"_links":{"self":{"href":"https://image.adobe.io/pie/psdService/status/JOB"}}}},"recipient_client_id":"RECIPIENT"}
        """.Replace("EVENT", eventId, StringComparison.Ordinal).Replace("JOB", jobId, StringComparison.Ordinal).Replace("RECIPIENT", recipient, StringComparison.Ordinal);

    public static string Sign(RSA key, string body) => Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>A delivery of <paramref name="body"/>, signed over <paramref name="signedBody"/> (the same unless a test tampers).</summary>
    public HttpRequestMessage Delivery(Uri url, string body, string? signedBody = null, string eventIdHeader = "e-1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) };
        request.Headers.Add("x-adobe-event-id", eventIdHeader);
        request.Headers.Add("x-adobe-event-code", "photoshop-job-status");
        request.Headers.Add("x-adobe-digital-signature-1", Sign(_key1, signedBody ?? body));
        request.Headers.Add("x-adobe-digital-signature-2", Sign(_key2, signedBody ?? body));
        request.Headers.Add("x-adobe-public-key1-path", Path1);
        request.Headers.Add("x-adobe-public-key2-path", Path2);
        return request;
    }

    public RSA Key1 => _key1;

    public void Dispose()
    {
        _key1.Dispose();
        _key2.Dispose();
    }
}
