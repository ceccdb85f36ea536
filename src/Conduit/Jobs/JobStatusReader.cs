using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Conduit.Jobs;

/// <summary>
/// Reads a status answer's raw JSON by the document's <c>x-job</c> shape: whether the job is done, and
/// what the service said went wrong. The typed status is read separately, by its converter.
/// </summary>
internal static class JobStatusReader
{
    private static readonly string[] CodeNames = ["errorCode", "error_code", "type", "code"];
    private static readonly string[] MessageNames = ["message", "title", "reason", "detail"];

    public readonly record struct Reading(JobPhase Phase, string Status, int OutputsDone, int OutputsTotal, IReadOnlyList<JobError> Errors);

    public static Reading Read(ReadOnlySpan<byte> json, JobShape shape)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        return shape == JobShape.V1 ? ReadV1(root) : ReadV2(root);
    }

    /// <summary>Where a JSON Pointer (RFC 6901) leads in <paramref name="json"/>, when it leads to a string.</summary>
    public static string? Pointer(ReadOnlySpan<byte> json, string pointer)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var here = document.RootElement;
        if (pointer.Length > 0)
        {
            foreach (var token in pointer.Substring(1).Split('/'))
            {
                var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (here.ValueKind == JsonValueKind.Object && here.TryGetProperty(name, out var next))
                {
                    here = next;
                }
                else if (here.ValueKind == JsonValueKind.Array && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < here.GetArrayLength())
                {
                    here = here[index];
                }
                else
                {
                    return null;
                }
            }
        }

        return here.ValueKind == JsonValueKind.String ? here.GetString() : null;
    }

    private static Reading ReadV2(JsonElement root)
    {
        var status = String(root, "status") ?? "unknown";
        var state = StateOf(status);
        var errors = new List<JobError>();
        if (state == JobPhase.Failed)
        {
            CollectErrors(root, null, errors);
        }

        var done = state is JobPhase.Succeeded or JobPhase.Failed ? 1 : 0;
        return new Reading(state, status, done, 1, errors);
    }

    private static Reading ReadV1(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array || outputs.GetArrayLength() == 0)
        {
            return new Reading(JobPhase.Pending, "pending", 0, 0, []);
        }

        var errors = new List<JobError>();
        int done = 0, failed = 0, index = 0;
        string? leastAdvanced = null;
        var leastState = JobPhase.Succeeded;
        foreach (var output in outputs.EnumerateArray())
        {
            var status = String(output, "status") ?? "unknown";
            var state = StateOf(status);
            if (state is JobPhase.Succeeded or JobPhase.Failed)
            {
                done++;
            }

            if (state == JobPhase.Failed)
            {
                failed++;
                CollectErrors(output, index, errors);
            }

            if (leastAdvanced is null || state < leastState)
            {
                (leastAdvanced, leastState) = (status, state);
            }

            index++;
        }

        var total = outputs.GetArrayLength();
        var overall = done < total ? (leastState == JobPhase.Pending ? JobPhase.Pending : JobPhase.Running) : failed > 0 ? JobPhase.Failed : JobPhase.Succeeded;
        return new Reading(overall, done < total ? leastAdvanced! : overall == JobPhase.Failed ? "failed" : "succeeded", done, total, errors);
    }

    private static JobPhase StateOf(string status) => status.ToLowerInvariant() switch
    {
        "succeeded" => JobPhase.Succeeded,
        "failed" => JobPhase.Failed,
        "pending" => JobPhase.Pending,
        _ => JobPhase.Running,
    };

    /// <summary>Errors in the shapes services use: <c>errorDetails</c>/<c>errors</c> arrays or an <c>errors</c>/<c>error</c> object.</summary>
    private static void CollectErrors(JsonElement owner, int? output, List<JobError> errors)
    {
        if (owner.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["errorDetails", "errors", "error"])
        {
            if (!owner.TryGetProperty(name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    errors.Add(ErrorOf(item, output));
                }
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                var error = ErrorOf(value, output);
                errors.Add(value.TryGetProperty("errorDetails", out var details) && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0
                    ? error with { Message = error.Message + " (" + string.Join("; ", Details(details)) + ")" }
                    : error);
            }
        }
    }

    private static IEnumerable<string> Details(JsonElement details)
    {
        foreach (var detail in details.EnumerateArray())
        {
            yield return detail.ValueKind == JsonValueKind.Object
                ? string.Join(": ", Values(detail))
                : detail.ToString();
        }
    }

    private static IEnumerable<string> Values(JsonElement detail)
    {
        foreach (var property in detail.EnumerateObject())
        {
            yield return property.Value.ToString();
        }
    }

    private static JobError ErrorOf(JsonElement item, int? output)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new JobError(null, item.ToString(), output);
        }

        string? code = null, message = null;
        foreach (var name in CodeNames)
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                code = value.ToString();
                break;
            }
        }

        foreach (var name in MessageNames)
        {
            if (String(item, name) is { } text)
            {
                message = text;
                break;
            }
        }

        return new JobError(code, message, output);
    }

    private static string? String(JsonElement owner, string name)
        => owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
