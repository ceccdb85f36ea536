using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Photoshop.Emulator;

/// <summary>
/// Adobe I/O Events journaling: <c>GET /events/&lt;registration&gt;</c> with the emulator's credentials answers the
/// oldest events (<c>?since=position</c> for those after a position, <c>?latest=true</c> for the end,
/// <c>?limit=n</c>), <c>{events: [{position, event}], _page: {last, count}}</c> with a <c>Link rel="next"</c>;
/// at the end, 204 with <c>retry-after</c> and a <c>next</c> link to ask again. Requests are not recorded with the API's.
/// </summary>
internal sealed class JournalEndpoint(EmulatorOptions options, EventHub events)
{
    public const string Prefix = "/events/";
    private const int DefaultLimit = 100;

    private readonly Auth _auth = new(options);

    public async Task HandleAsync(HttpContext context)
    {
        var reply = Answer(context.Request);
        await reply.WriteAsync(context.Response, Guid.NewGuid().ToString("N"));
    }

    private Reply Answer(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return ErrorBodies.NoRoute(ApiFamily.V2, request.Method, request.Path.Value ?? "/");
        }

        if (_auth.Check(ApiFamily.V2, request.Headers) is { } refusal)
        {
            return refusal;
        }

        var id = request.Path.Value![Prefix.Length..];
        if (events.Find(id) is not { JournalUrl: not null } registration)
        {
            return ErrorBodies.NoRoute(ApiFamily.V2, request.Method, request.Path.Value);
        }

        var limit = DefaultLimit;
        if (request.Query["limit"] is { Count: > 0 } limitText && (!int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return ErrorBodies.BadRequest(ApiFamily.V2, "limit must be a positive integer.");
        }

        var since = request.Query["since"].FirstOrDefault();
        if (since is null && request.Query["latest"] == "true")
        {
            since = registration.End;
        }

        if (registration.After(since, limit) is not { } entries)
        {
            return ErrorBodies.BadRequest(ApiFamily.V2, "since is not a position of this journal.");
        }

        var link = (string position) => new System.Collections.Generic.KeyValuePair<string, string>(
            "Link",
            $"<{Prefix}{id}?since={Uri.EscapeDataString(position)}{(request.Query.ContainsKey("limit") ? "&limit=" + limit.ToString(CultureInfo.InvariantCulture) : string.Empty)}>; rel=\"next\"");
        if (entries.Count == 0)
        {
            return new Reply(204, null)
            {
                Headers =
                [
                    new("retry-after", ((int)options.JournalRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
                    link(since ?? registration.End),
                ],
            };
        }

        var last = entries[^1].Position;
        var body = new JsonObject
        {
            ["events"] = new JsonArray([.. entries.Select(e => new JsonObject { ["position"] = e.Position, ["event"] = e.Event.DeepClone() })]),
            ["_page"] = new JsonObject { ["last"] = last, ["count"] = entries.Count },
        };
        return new Reply(200, body) { Headers = [link(last)] };
    }
}
