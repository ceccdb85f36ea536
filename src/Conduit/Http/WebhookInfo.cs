using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Json;

namespace Conduit.Http;

/// <summary>
/// What a generated client knows about one of its document's webhooks (OpenAPI 3.1 <c>webhooks</c>): the
/// name the document gives it and how to read its payload. A receiver reads typed events through it
/// without reflection: <c>PhotoshopClient.Webhooks.PhotoshopJobStatus.Read(body)</c>.
/// </summary>
/// <typeparam name="TEvent">The payload's generated model.</typeparam>
public sealed class WebhookInfo<TEvent>
{
    /// <summary>Creates the description of a webhook.</summary>
    /// <param name="name">The webhook's name in the document, such as <c>photoshop-job-status</c>.</param>
    /// <param name="converter">Reads and writes the payload.</param>
    public WebhookInfo(string name, JsonConverter<TEvent> converter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Converter = converter ?? throw new ArgumentNullException(nameof(converter));
    }

    /// <summary>The webhook's name in the document. For Adobe I/O Events it is the event code.</summary>
    public string Name { get; }

    /// <summary>Reads and writes the payload (a generated converter: no reflection).</summary>
    public JsonConverter<TEvent> Converter { get; }

    /// <summary>Reads a payload.</summary>
    /// <param name="json">The request body, UTF-8 JSON.</param>
    /// <exception cref="JsonException">The body is not JSON, not of the documented shape, or <c>null</c>.</exception>
    public TEvent Read(ReadOnlySpan<byte> json)
        => JsonValue.Deserialize(json, Converter) ?? throw new JsonException($"The {Name} payload is null.");

    /// <inheritdoc/>
    public override string ToString() => $"webhook {Name}";
}
