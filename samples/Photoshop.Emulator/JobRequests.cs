using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Photoshop.Emulator;

/// <summary>
/// Reads job-start bodies against the document's request schemas, throwing <see cref="InvalidBodyException"/>
/// at the first member that breaks a rule. One input per request on both surfaces.
/// </summary>
internal static class JobRequests
{
    private static readonly string[] MediaTypes = ["image/jpeg", "image/png", "image/webp", "image/vnd.adobe.photoshop"];
    private static readonly string[] Storages = ["external", "azure", "dropbox"];
    private static readonly string[] RemoveBackgroundModes = ["cutout", "mask", "psd"];

    /// <summary>v2 members that would be a second input: the API takes one <c>image</c>.</summary>
    private static readonly string[] ExtraInputs = ["images", "inputs"];

    /// <summary>Reads a body of a v1 or v2 job start.</summary>
    public static JobSpec Read(Route route, JsonObject body, Uri baseAddress)
    {
        var root = new JsonBody(body, "");
        return route.Family == ApiFamily.V1
            ? ReadV1(route.Operation, root)
            : route.Operation == "remove-background" ? ReadRemoveBackground(root, baseAddress) : ReadV2(route.Operation, root);
    }

    /// <summary>
    /// <c>CreateCompositeRequest</c>, <c>EditRequest</c>, <c>ExecuteActionsRequest</c>,
    /// <c>GenerateManifestRequest</c>, <c>CreateArtboardRequest</c>.
    /// </summary>
    private static JobSpec ReadV2(string operation, JsonBody body)
    {
        var input = ReadImage(body);
        var manifest = operation == "generate-manifest";
        var outputs = manifest ? body.OptionalObjects("outputs", 1, 25) : body.Objects("outputs", 1, 25);
        var options = body.OptionalObject("options");
        if (operation == "execute-actions" && options is { } actions)
        {
            foreach (var action in actions.Objects("actions", 1))
            {
                action.Object("source").Url("url");
            }
        }

        return new JobSpec(input, [.. (outputs ?? []).Select(output => new JobOutput(
            output.Object("destination").Url("url"),
            output.Enum("mediaType", MediaTypes),
            "external"))], manifest);
    }

    /// <summary><c>RemoveBackgroundRequest</c>; the service writes the result itself, so the emulator makes up its URL.</summary>
    private static JobSpec ReadRemoveBackground(JsonBody body, Uri baseAddress)
    {
        var input = ReadImage(body);
        body.OptionalEnum("mode", RemoveBackgroundModes);
        var mediaType = body.OptionalObject("output")?.OptionalEnum("mediaType", MediaTypes) ?? "image/png";
        body.OptionalBoolean("trim");
        if (body.OptionalObject("backgroundColor") is { } color)
        {
            foreach (var channel in new[] { "red", "green", "blue" })
            {
                color.Number(channel, 0, 255, required: true, integer: true);
            }

            color.Number("alpha", 0, 1, required: true);
        }

        body.Number("colorDecontamination", 0, 1);
        var extension = mediaType switch
        {
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            "image/vnd.adobe.photoshop" => "psd",
            _ => "png",
        };
        var result = new Uri(baseAddress, $"files/{Guid.NewGuid():N}.{extension}").AbsoluteUri;
        return new JobSpec(input, [new JobOutput(result, mediaType, "external")]);
    }

    /// <summary>The single <c>image</c> input: an object with <c>source.url</c>; an array or a second input is refused.</summary>
    private static string ReadImage(JsonBody body)
    {
        if (body.Node["image"] is JsonArray images)
        {
            throw new InvalidBodyException(
                "image",
                $"`image` is an array of {images.Count}: the API takes exactly one input per request, as one object; pass further assets in `options`.",
                tooManyInputs: true);
        }

        if (ExtraInputs.FirstOrDefault(body.Has) is { } name)
        {
            throw new InvalidBodyException(
                name,
                $"`{name}` is not accepted: the API takes exactly one input per request, in `image`; pass further assets in `options`.",
                tooManyInputs: true);
        }

        return body.Object("image").Object("source").Url("url");
    }

    /// <summary><c>PsdServiceRequest</c>, <c>PsdServiceDocumentManifestRequest</c>, <c>PsdServiceDocumentCreateRequest</c>.</summary>
    private static JobSpec ReadV1(string operation, JsonBody body)
    {
        var create = operation == "documentCreate";
        var manifest = operation == "documentManifest";
        if (body.Node["inputs"] is JsonArray { Count: > 1 } inputs)
        {
            throw new InvalidBodyException(
                "inputs",
                $"`inputs` has {inputs.Count} elements: at most 1 input is allowed per request (maxItems 1); pass further assets in `options`.",
                tooManyInputs: true);
        }

        var input = (create ? body.OptionalObjects("inputs", 1, 1) : body.Objects("inputs", 1, 1))?.Single();
        var inputUrl = input?.Url("href");
        input?.Enum("storage", Storages);
        var outputs = manifest ? body.OptionalObjects("outputs", 1) : body.Objects("outputs", 1);
        _ = create ? body.Object("options") : body.OptionalObject("options");
        return new JobSpec(inputUrl, [.. (outputs ?? []).Select(output => new JobOutput(
            output.Url("href"),
            output.String("type"),
            output.Enum("storage", Storages)))], manifest);
    }
}
