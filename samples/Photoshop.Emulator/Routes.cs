using System;
using System.Collections.Generic;
using System.Linq;

namespace Photoshop.Emulator;

/// <summary>The two surfaces of the service, which differ in error bodies and job shapes.</summary>
internal enum ApiFamily
{
    /// <summary>v1 psdService: <c>{type, code, title}</c> errors, per-output job status.</summary>
    V1,

    /// <summary>Photoshop v2 and Remove Background: <c>{error_code, message}</c> errors, one job status.</summary>
    V2,
}

/// <summary>What a route does.</summary>
internal enum RouteKind
{
    /// <summary>A POST that starts a job and answers 202.</summary>
    StartJob,

    /// <summary>A GET of a job's status.</summary>
    JobStatus,
}

/// <summary>One operation of the document.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path; a status route's path ends with <c>/</c> and the job id follows.</param>
/// <param name="Family">The surface the operation belongs to.</param>
/// <param name="Group">The rate-limit group.</param>
/// <param name="Kind">What the route does.</param>
/// <param name="StatusPath">For job starts: the status route's path (before the job id) the 202 answer points to.</param>
internal sealed record Route(string Method, string Path, ApiFamily Family, string Group, RouteKind Kind, string StatusPath)
{
    /// <summary>The operation's name: the last segment of a start route's path (<c>create-composite</c>, <c>text</c>).</summary>
    public string Operation => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>A request matched to its route, with the job id a status route carries.</summary>
internal sealed record RouteMatch(Route Route, string? JobId);

/// <summary>The route table: every operation of <c>openapi/photoshop.json</c>, served from one host.</summary>
internal static class Routes
{
    private const string V2Status = "/v2/status/";
    private const string RemoveBackgroundStatus = "/status/";
    private const string V1Status = "/pie/psdService/status/";

    private static readonly string[] V2Operations = ["create-composite", "edit", "execute-actions", "generate-manifest", "create-artboard"];

    private static readonly string[] V1Operations =
    [
        "documentManifest", "documentCreate", "documentOperations", "renditionCreate", "smartObject", "photoshopActions",
        "actionJSON", "actionJsonCreate", "productCrop", "depthBlur", "text", "artboardCreate",
    ];

    /// <summary>Every route.</summary>
    public static IReadOnlyList<Route> All { get; } =
    [
        .. V2Operations.Select(name => Start($"/v2/{name}", ApiFamily.V2, EmulatorOptions.PhotoshopGroup, V2Status)),
        Status(V2Status, ApiFamily.V2, EmulatorOptions.PhotoshopGroup),
        Start("/v2/remove-background", ApiFamily.V2, EmulatorOptions.RemoveBackgroundGroup, RemoveBackgroundStatus),
        Status(RemoveBackgroundStatus, ApiFamily.V2, EmulatorOptions.RemoveBackgroundGroup),
        .. V1Operations.Select(name => Start($"/pie/psdService/{name}", ApiFamily.V1, EmulatorOptions.PhotoshopGroup, V1Status)),
        Status(V1Status, ApiFamily.V1, EmulatorOptions.PhotoshopGroup),
    ];

    /// <summary>The route of a request, or <see langword="null"/> when no operation has this method and path.</summary>
    public static RouteMatch? Match(string method, string path)
    {
        foreach (var route in All)
        {
            if (!string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (route.Kind == RouteKind.StartJob && string.Equals(route.Path, path, StringComparison.Ordinal))
            {
                return new RouteMatch(route, null);
            }

            if (route.Kind == RouteKind.JobStatus && path.StartsWith(route.Path, StringComparison.Ordinal))
            {
                var jobId = path[route.Path.Length..];
                if (jobId.Length > 0 && !jobId.Contains('/', StringComparison.Ordinal))
                {
                    return new RouteMatch(route, jobId);
                }
            }
        }

        return null;
    }

    /// <summary>The surface whose error format an unmatched path gets: v1 under <c>/pie/</c>, v2 elsewhere.</summary>
    public static ApiFamily FamilyOf(string path) =>
        path.StartsWith("/pie/", StringComparison.Ordinal) ? ApiFamily.V1 : ApiFamily.V2;

    private static Route Start(string path, ApiFamily family, string group, string statusPath) =>
        new("POST", path, family, group, RouteKind.StartJob, statusPath);

    private static Route Status(string path, ApiFamily family, string group) =>
        new("GET", path, family, group, RouteKind.JobStatus, path);
}
