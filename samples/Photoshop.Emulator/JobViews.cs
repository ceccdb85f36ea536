using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace Photoshop.Emulator;

/// <summary>
/// A job as each surface shows it: the 202 answers (<c>JobAccepted</c>, <c>PsdServiceJobAccepted</c>) and the
/// status bodies (<c>JobStatus</c>, <c>PsdServiceJobStatus</c>). A job can be read on any status route, in
/// that route's shape.
/// </summary>
internal static class JobViews
{
    /// <summary>202 to a job start: v2 <c>{jobId, statusUrl}</c>, v1 <c>{_links: {self: {href}}}</c>.</summary>
    public static Reply Accepted(ApiFamily family, Job job, Uri statusUrl)
    {
        var body = family == ApiFamily.V1
            ? new JsonObject { ["_links"] = new JsonObject { ["self"] = Link(statusUrl) } }
            : new JsonObject { ["jobId"] = job.Id, ["statusUrl"] = statusUrl.AbsoluteUri };
        return new Reply(202, body) { JobId = job.Id };
    }

    /// <summary>
    /// 200 with v2 <c>JobStatus</c>: <c>result.outputs</c> once succeeded, <c>errorDetails</c> once failed;
    /// v1's uploading shows as running.
    /// </summary>
    public static Reply V2Status(Job job, DateTimeOffset now)
    {
        var (phase, since) = job.PhaseAt(now);
        var body = new JsonObject
        {
            ["jobId"] = job.Id,
            ["status"] = phase switch
            {
                JobPhase.Pending => "pending",
                JobPhase.Running or JobPhase.Uploading => "running",
                JobPhase.Succeeded => "succeeded",
                _ => "failed",
            },
            ["createdTime"] = Time(job.Created),
            ["modifiedTime"] = Time(since),
        };
        if (phase == JobPhase.Succeeded)
        {
            var outputs = new JsonArray([.. job.Spec.Outputs.Select(output => new JsonObject
            {
                ["destination"] = new JsonObject { ["url"] = output.Url },
                ["mediaType"] = output.MediaType,
            })]);
            if (job.Spec.Manifest)
            {
                outputs.Add(new JsonObject { ["manifest"] = new JsonObject { ["document"] = ManifestDocument(), ["layers"] = ManifestLayers() } });
            }

            body["result"] = new JsonObject { ["outputs"] = outputs };
        }
        else if (phase == JobPhase.Failed)
        {
            body["errorDetails"] = new JsonArray(new JsonObject { ["errorCode"] = job.Failure!.Code, ["message"] = job.Failure.Message });
        }

        return new Reply(200, body) { JobId = job.Id };
    }

    /// <summary>
    /// v1 <c>PsdServiceJobStatus</c>: one output entry for the job's input, with the renditions once
    /// succeeded and the errors once failed; answered 202 until the job is done, 200 after.
    /// </summary>
    public static Reply V1Status(Job job, DateTimeOffset now, Uri statusUrl)
    {
        var (phase, since) = job.PhaseAt(now);
        var output = new JsonObject
        {
            ["input"] = job.Spec.InputUrl,
            ["status"] = phase.ToString().ToLowerInvariant(),
            ["created"] = Time(job.Created),
            ["modified"] = Time(since),
        };
        if (job.Spec.InputUrl is null)
        {
            output.Remove("input");
        }

        if (phase == JobPhase.Succeeded)
        {
            output["_links"] = new JsonObject
            {
                ["renditions"] = new JsonArray([.. job.Spec.Outputs.Select(rendition => new JsonObject
                {
                    ["href"] = rendition.Url,
                    ["storage"] = rendition.Storage,
                    ["type"] = rendition.MediaType,
                })]),
            };
            if (job.Spec.Manifest)
            {
                output["document"] = ManifestDocument();
                output["layers"] = ManifestLayers();
            }
        }
        else if (phase == JobPhase.Failed)
        {
            output["errors"] = new JsonObject
            {
                ["type"] = job.Failure!.V1Type,
                ["code"] = job.Failure.V1Code,
                ["title"] = job.Failure.Message,
                ["errorDetails"] = new JsonArray(new JsonObject { ["errorCode"] = job.Failure.Code, ["message"] = job.Failure.Message }),
            };
        }

        var body = new JsonObject
        {
            ["jobId"] = job.Id,
            ["outputs"] = new JsonArray(output),
            ["_links"] = new JsonObject { ["self"] = Link(statusUrl) },
        };
        var done = phase is JobPhase.Succeeded or JobPhase.Failed;
        return new Reply(done ? 200 : 202, body) { JobId = job.Id };
    }

    /// <summary>A made-up manifest's document: the emulator never reads the input.</summary>
    private static JsonObject ManifestDocument() =>
        new() { ["name"] = "input.psd", ["width"] = 1024, ["height"] = 768, ["photoshopBuild"] = "emulator" };

    /// <summary>A made-up manifest's layers.</summary>
    private static JsonArray ManifestLayers() =>
        new(new JsonObject { ["id"] = 1, ["name"] = "Background", ["type"] = "layer" });

    private static JsonObject Link(Uri href) => new() { ["href"] = href.AbsoluteUri };

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
