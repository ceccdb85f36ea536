using System.Linq;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>Operations that start jobs (x-job): where the job id is, and which operation reads its status.</summary>
internal sealed partial class OpenApiReader
{
    /// <summary>Runs once every operation is read, since a job names its status operation by id.</summary>
    private void ResolveJobs()
    {
        foreach (var (index, place, jsonAccepted) in _jobs)
        {
            if (ReadJob(_operations[index], place, jsonAccepted) is { } job)
            {
                _operations[index] = _operations[index] with { Job = job };
            }
        }
    }

    private JobModel? ReadJob(OperationModel operation, Located place, bool jsonAccepted)
    {
        var node = place.Node;
        if (node.Kind != NodeKind.Object)
        {
            return Invalid<JobModel>(place, "x-job", "it must be an object with 'statusOperation', 'shape', and 'jobId' or 'statusUrl'");
        }

        if (node["statusOperation"] is not { } statusNode)
        {
            return Invalid<JobModel>(place, "x-job", "'statusOperation' is missing; name the operationId of the GET operation that reads the job's status");
        }

        var here = new Located(statusNode, place.Document);
        if (statusNode is not { Kind: NodeKind.String, Value: { } statusId })
        {
            return Invalid<JobModel>(here, "x-job", "'statusOperation' must be the operationId of the GET operation that reads the job's status");
        }

        var status = _operations.FirstOrDefault(o => o.OperationId == statusId);
        if (status is null)
        {
            return Invalid<JobModel>(here, "x-job", $"no operation has the operationId '{statusId}'");
        }

        if (status.HttpMethod != "GET")
        {
            return Invalid<JobModel>(here, "x-job", $"'{statusId}' is a {status.HttpMethod}; a job's status is read with a GET");
        }

        var pathParameters = status.Parameters.Where(p => p.Location == ParameterLocation.Path).ToList();
        if (pathParameters.Count != 1)
        {
            return Invalid<JobModel>(here, "x-job", $"'{statusId}' has {pathParameters.Count} path parameters; a status operation has exactly one, which receives the job id");
        }

        var others = status.Parameters.Where(p => p.Required && p.Location != ParameterLocation.Path).Select(p => p.WireName).ToList();
        if (others.Count > 0)
        {
            return Invalid<JobModel>(here, "x-job", $"'{statusId}' requires parameters besides the job id ({string.Join(", ", others)}), which a job cannot supply when it polls");
        }

        if (status.Result.Kind != ResultKind.Json || status.Result.Type is null)
        {
            return Invalid<JobModel>(here, "x-job", $"'{statusId}' has no JSON success answer to read the job's status from");
        }

        var shape = node["shape"]?.Value;
        if (shape is not ("v1" or "v2"))
        {
            return Invalid<JobModel>(node["shape"] is { } s ? new Located(s, place.Document) : place, "x-job", "'shape' must be \"v2\" (a single status) or \"v1\" (a status per output)");
        }

        string? Pointer(string name, out bool valid)
        {
            valid = true;
            if (node[name] is not { } pointer)
            {
                return null;
            }

            valid = pointer.Kind == NodeKind.String && IsJsonPointer(pointer.Value!);
            if (!valid)
            {
                Invalid(new Located(pointer, place.Document), "x-job", $"'{name}' must be a JSON Pointer, such as \"/jobId\"");
            }

            return pointer.Value;
        }

        var jobId = Pointer("jobId", out var jobIdValid);
        var statusUrl = Pointer("statusUrl", out var statusUrlValid);
        if (!jobIdValid || !statusUrlValid)
        {
            return null;
        }

        if (jobId is null && statusUrl is null)
        {
            return Invalid<JobModel>(place, "x-job", "give 'jobId' or 'statusUrl': a JSON Pointer to where the accepted answer names the job");
        }

        if (!jsonAccepted)
        {
            return Invalid<JobModel>(place, "x-job", $"'{operation.OperationId}' has neither a 202 answer nor a single 2xx answer with a JSON body in which to find the job");
        }

        return new JobModel(status.FieldName, pathParameters[0].WireName, shape, jobId, statusUrl, status.Result.Type);
    }

    /// <summary>RFC 6901: empty, or tokens after '/' in which '~' only starts "~0" or "~1".</summary>
    private static bool IsJsonPointer(string text)
    {
        if (text.Length > 0 && text[0] != '/')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '~' && (i + 1 == text.Length || text[i + 1] is not ('0' or '1')))
            {
                return false;
            }
        }

        return true;
    }
}
