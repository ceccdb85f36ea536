using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>
/// OpenAPI 3.1 <c>webhooks</c>: requests the service sends. Each one's JSON payload becomes a model like
/// any other, and the client gets a descriptor per webhook (its name and the payload's converter).
/// Earlier versions have no <c>webhooks</c>; a member of that name there is an extension of nothing and is ignored.
/// </summary>
internal sealed partial class OpenApiReader
{
    // Members of the static Webhooks class: never the class's own name nor one that hides object's.
    private static readonly string[] ReservedWebhookNames = { "Webhooks", "Equals", "GetHashCode", "ToString", "GetType", "ReferenceEquals" };

    private readonly System.Collections.Generic.List<WebhookModel> _webhooks = new();
    private readonly NameScope _webhookNames = new(ReservedWebhookNames);

    private void ReadWebhooks(Node root)
    {
        if (!_isOpenApi31 || root["webhooks"] is not { } webhooks)
        {
            return;
        }

        if (webhooks.Kind != NodeKind.Object)
        {
            _diagnostics.At(Descriptors.InvalidStructure, new Located(webhooks, _root), "'webhooks' must be an object mapping names to path items; no webhooks were read.");
            return;
        }

        foreach (var webhook in webhooks.Properties)
        {
            ReadWebhook(webhook);
        }
    }

    private void ReadWebhook(Property webhook)
    {
        _token.ThrowIfCancellationRequested();
        var place = new Located(webhook.Value, _root);
        if (Dereference(place, out _, "the webhook is left out") is not { } item || item.Node.Kind != NodeKind.Object)
        {
            return;
        }

        // A webhook is a path item; services send POSTs, so a POST wins over any other method.
        Located? operation = null;
        foreach (var method in Methods)
        {
            if (item.Node[method] is { Kind: NodeKind.Object } found && (operation is null || method == "post"))
            {
                operation = new Located(found, item.Document);
            }
        }

        var payload = operation is { } op ? WebhookPayload(op) : null;
        if (payload is null)
        {
            _diagnostics.At(Descriptors.OperationApproximated, operation ?? place, $"The webhook '{webhook.Name}' has no JSON request body; it is not generated. Describe its payload under requestBody.content.application/json.schema.");
            return;
        }

        var name = Pascal(webhook.Name);
        var summary = operation is { } o ? Text(o, "summary") : null;
        var description = operation is { } d ? Text(d, "description") : null;
        _webhooks.Add(new WebhookModel(webhook.Name, _webhookNames.Claim(name), summary ?? Text(item, "summary"), description ?? Text(item, "description"), SchemaType(payload, name + "Event", out _)));
    }

    /// <summary>The schema of an operation's JSON request body, or null when it has none.</summary>
    private Located? WebhookPayload(Located operation)
    {
        if (operation.Node["requestBody"] is not { } raw
            || Dereference(new Located(raw, operation.Document), out _, "the webhook is left out") is not { } body
            || body.Node["content"] is not { Kind: NodeKind.Object } content
            || content.Properties.Count == 0)
        {
            return null;
        }

        var (mediaType, media) = PickMediaType(content);
        return IsJson(mediaType) && media.Value["schema"] is { Kind: NodeKind.Object } schema ? new Located(schema, body.Document) : null;
    }
}
