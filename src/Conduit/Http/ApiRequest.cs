using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Json;

namespace Conduit.Http;

/// <summary>
/// One call of an operation, as generated code fills it in: parameters in every OpenAPI location and
/// style, and a body. It can be turned into an <see cref="HttpRequestMessage"/> any number of times,
/// so a retried call re-sends the same request.
/// </summary>
public sealed class ApiRequest
{
    /// <summary>The URL is fully encoded when built: System.Uri must neither re-encode it nor resolve "." and ".." segments away.</summary>
    private static readonly UriCreationOptions ExactUri = new() { DangerousDisablePathAndQueryCanonicalization = true };

    // Made on first use: most calls have a path parameter or two and nothing else.
    private List<KeyValuePair<string, string>>? _path;
    private StringBuilder? _query;
    private List<KeyValuePair<string, string>>? _headers;
    private StringBuilder? _cookies;
    private Func<HttpContent>? _content;

    /// <summary>Starts a call of <paramref name="operation"/>.</summary>
    /// <param name="operation">The operation.</param>
    public ApiRequest(OperationInfo operation) => Operation = operation ?? throw new ArgumentNullException(nameof(operation));

    /// <summary>The operation called.</summary>
    public OperationInfo Operation { get; }

    /// <summary>Sets a path parameter from a single value.</summary>
    /// <param name="name">The parameter's name in the path template.</param>
    /// <param name="value">The value, already formatted.</param>
    /// <param name="style">Simple, label or matrix.</param>
    /// <param name="explode">Whether the value is exploded.</param>
    public void Path(string name, string value, ParameterStyle style = ParameterStyle.Simple, bool explode = false)
        => SetPath(name, style == ParameterStyle.Simple && !explode
            ? StyledValue.Escape(value ?? throw Missing(name))
            : StyledValue.Path(name, new[] { value ?? throw Missing(name) }, style, explode, isList: false));

    /// <summary>Sets a path parameter from a list.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The parameter's name in the path template.</param>
    /// <param name="values">The values.</param>
    /// <param name="format">Formats one element.</param>
    /// <param name="style">Simple, label or matrix.</param>
    /// <param name="explode">Whether the list is exploded.</param>
    public void Path<T>(string name, IEnumerable<T> values, Func<T, string> format, ParameterStyle style = ParameterStyle.Simple, bool explode = false)
        => SetPath(name, StyledValue.Path(name, StyledValue.FormatAll(values ?? throw Missing(name), format), style, explode, isList: true));

    /// <summary>Sets a path parameter from an object's members.</summary>
    /// <param name="name">The parameter's name in the path template.</param>
    /// <param name="members">The members, formatted.</param>
    /// <param name="style">Simple, label or matrix.</param>
    /// <param name="explode">Whether the object is exploded.</param>
    public void PathObject(string name, IEnumerable<KeyValuePair<string, string>> members, ParameterStyle style = ParameterStyle.Simple, bool explode = false)
        => SetPath(name, StyledValue.PathObject(name, members ?? throw Missing(name), style, explode));

    /// <summary>Adds a query parameter from a single value; nothing is added for <see langword="null"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value, already formatted.</param>
    /// <param name="allowReserved">Whether reserved characters are sent as they are.</param>
    public void Query(string name, string? value, bool allowReserved = false)
    {
        if (value is not null)
        {
            StyledValue.AppendQuery(_query ??= new StringBuilder(), name, value, allowReserved);
        }
    }

    /// <summary>Adds a query parameter from a list; nothing is added for <see langword="null"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The parameter name.</param>
    /// <param name="values">The values.</param>
    /// <param name="format">Formats one element.</param>
    /// <param name="style">Form, spaceDelimited or pipeDelimited.</param>
    /// <param name="explode">Whether the list is exploded (one pair per element).</param>
    /// <param name="allowReserved">Whether reserved characters are sent as they are.</param>
    public void Query<T>(string name, IEnumerable<T>? values, Func<T, string> format, ParameterStyle style = ParameterStyle.Form, bool explode = true, bool allowReserved = false)
    {
        if (values is not null)
        {
            StyledValue.AppendQueryList(_query ??= new StringBuilder(), name, StyledValue.FormatAll(values, format), style, explode, allowReserved);
        }
    }

    /// <summary>Adds a query parameter from an object's members; nothing is added for <see langword="null"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="members">The members, formatted.</param>
    /// <param name="style">Form or deepObject.</param>
    /// <param name="explode">Whether the object is exploded.</param>
    /// <param name="allowReserved">Whether reserved characters are sent as they are.</param>
    public void QueryObject(string name, IEnumerable<KeyValuePair<string, string>>? members, ParameterStyle style = ParameterStyle.Form, bool explode = true, bool allowReserved = false)
    {
        if (members is not null)
        {
            StyledValue.AppendQueryObject(_query ??= new StringBuilder(), name, members, style, explode, allowReserved);
        }
    }

    /// <summary>Adds a header; nothing is added for <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value, already formatted.</param>
    public void Header(string name, string? value)
    {
        if (value is not null)
        {
            (_headers ??= new()).Add(new(name, value));
        }
    }

    /// <summary>Adds a header from a list (simple style: comma-separated); nothing is added for <see langword="null"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The header name.</param>
    /// <param name="values">The values.</param>
    /// <param name="format">Formats one element.</param>
    public void Header<T>(string name, IEnumerable<T>? values, Func<T, string> format)
    {
        if (values is not null)
        {
            (_headers ??= new()).Add(new(name, string.Join(",", StyledValue.FormatAll(values, format))));
        }
    }

    /// <summary>Adds a header from an object's members (simple style); nothing is added for <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="members">The members, formatted.</param>
    /// <param name="explode">Whether members are written as <c>key=value</c>.</param>
    public void HeaderObject(string name, IEnumerable<KeyValuePair<string, string>>? members, bool explode = false)
    {
        if (members is not null)
        {
            (_headers ??= new()).Add(new(name, StyledValue.JoinMembers(members, explode ? "=" : ",", ",", StyledValue.Verbatim)));
        }
    }

    /// <summary>Adds a cookie; nothing is added for <see langword="null"/>.</summary>
    /// <param name="name">The cookie name.</param>
    /// <param name="value">The value, already formatted.</param>
    public void Cookie(string name, string? value)
    {
        if (value is not null)
        {
            AppendCookie(name, StyledValue.Escape(value));
        }
    }

    /// <summary>Adds a cookie from a list (form style, comma-separated); nothing is added for <see langword="null"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The cookie name.</param>
    /// <param name="values">The values.</param>
    /// <param name="format">Formats one element.</param>
    public void Cookie<T>(string name, IEnumerable<T>? values, Func<T, string> format)
    {
        if (values is not null)
        {
            // Elements are encoded one by one so the separating commas stay distinguishable from commas in values.
            AppendCookie(name, string.Join(",", StyledValue.FormatAll(values, format).ConvertAll(StyledValue.Escape)));
        }
    }

    private void AppendCookie(string name, string encodedValue)
    {
        var cookies = _cookies ??= new StringBuilder();
        if (cookies.Length > 0)
        {
            cookies.Append("; ");
        }

        cookies.Append(name).Append('=').Append(encodedValue);
    }

    /// <summary>Sets a JSON body, serialized once now.</summary>
    /// <typeparam name="T">The body's type.</typeparam>
    /// <param name="value">The body.</param>
    /// <param name="converter">Its converter.</param>
    /// <param name="contentType">The media type.</param>
    public void JsonBody<T>(T value, JsonConverter<T> converter, string contentType = "application/json")
    {
        var bytes = JsonValue.Serialize(value, converter);
        _content = () => WithType(new ByteArrayContent(bytes), contentType);
    }

    /// <summary>Sets a form-encoded body (<c>application/x-www-form-urlencoded</c>).</summary>
    /// <param name="members">The fields, formatted.</param>
    public void FormBody(IEnumerable<KeyValuePair<string, string>> members)
    {
        var text = StyledValue.JoinMembers(members, "=", "&", StyledValue.Escape);
        _content = () => WithType(new StringContent(text, Encoding.UTF8), "application/x-www-form-urlencoded");
    }

    /// <summary>Sets a text body, sent as UTF-8 (the media type gets <c>charset=utf-8</c> unless it names one).</summary>
    /// <param name="text">The text.</param>
    /// <param name="contentType">The media type.</param>
    public void TextBody(string text, string contentType = "text/plain")
    {
        _ = text ?? throw Missing("body");
        _content = () =>
        {
            var content = WithType(new StringContent(text, Encoding.UTF8), contentType);
            content.Headers.ContentType!.CharSet ??= "utf-8";
            return content;
        };
    }

    /// <summary>Sets a binary body from bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="contentType">The media type.</param>
    public void BinaryBody(byte[] bytes, string contentType = "application/octet-stream")
        => _content = () => WithType(new ByteArrayContent(bytes ?? throw Missing("body")), contentType);

    /// <summary>
    /// Sets a binary body from a stream. A seekable stream is rewound for every send (so retries
    /// re-send it); a stream that cannot seek can be sent once.
    /// </summary>
    /// <param name="stream">The stream; the caller keeps ownership (sending never disposes it).</param>
    /// <param name="contentType">The media type.</param>
    public void StreamBody(Stream stream, string contentType = "application/octet-stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = stream.CanSeek ? stream.Position : -1;
        _content = () =>
        {
            if (start < 0)
            {
                if (!CanSendAgain)
                {
                    throw NotResendable();
                }

                CanSendAgain = false;
            }

            return WithType(new CallerStreamContent(stream, start, NotResendable), contentType);
        };
    }

    /// <summary>
    /// Whether the request can be sent (again): false once a body from a stream that cannot seek has been
    /// sent, so a retry policy leaves it alone and the caller gets the answer.
    /// </summary>
    public bool CanSendAgain { get; private set; } = true;

    private InvalidOperationException NotResendable()
        => new($"{Operation.OperationId}: the request body is a stream that cannot seek, so it cannot be sent again. Pass a seekable stream or bytes to allow retries.");

    /// <summary>
    /// Sets a body the caller builds (for media types Conduit does not model). The factory is called
    /// for every send, so it must return new content each time.
    /// </summary>
    /// <param name="content">Creates the content.</param>
    public void Content(Func<HttpContent> content) => _content = content ?? throw Missing("body");

    /// <summary>Creates the HTTP message for one send.</summary>
    /// <param name="server">The server the operation's path is appended to.</param>
    public HttpRequestMessage CreateMessage(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var root = server.AbsoluteUri;
        return CreateMessage(root.EndsWith('/') ? root[..^1] : root);
    }

    /// <summary>Creates the HTTP message for one send, under <paramref name="serverRoot"/> (an absolute URL without a trailing slash).</summary>
    internal HttpRequestMessage CreateMessage(string serverRoot)
    {
        var path = FillPath();
        var url = _query is { Length: > 0 } query ? string.Concat(serverRoot, path, "?", query.ToString()) : string.Concat(serverRoot, path);
        var message = new HttpRequestMessage(Operation.HttpMethod, new Uri(url, ExactUri));
        if (_headers is not null)
        {
            foreach (var header in _headers)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (_cookies is { Length: > 0 } cookies)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookies.ToString());
        }

        if (_content is not null)
        {
            message.Content = _content();
        }

        return message;
    }

    private void SetPath(string name, string value)
    {
        var path = _path ??= new List<KeyValuePair<string, string>>(2);
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i].Key == name)
            {
                path[i] = new(name, value);
                return;
            }
        }

        path.Add(new(name, value));
    }

    /// <summary>The path template with every parameter's value in place.</summary>
    private string FillPath()
    {
        var template = Operation.Path;
        if (template.IndexOf('{') < 0)
        {
            return template;
        }

        var url = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (close < 0)
            {
                url.Append(template, i, template.Length - i);
                break;
            }

            url.Append(template, i, open - i);
            var value = PathValue(template, open + 1, close - open - 1)
                ?? throw new InvalidOperationException($"{Operation.OperationId}: no value was given for the path parameter '{template.Substring(open + 1, close - open - 1)}'.");

            // A value of "." or ".." is data, not a dot segment: encode it so no server resolves it as one.
            url.Append(value is "." or ".." ? value.Replace(".", "%2E", StringComparison.Ordinal) : value);
            i = close + 1;
        }

        return url.ToString();
    }

    private string? PathValue(string template, int start, int length)
    {
        if (_path is null)
        {
            return null;
        }

        foreach (var (name, value) in _path)
        {
            if (name.Length == length && string.CompareOrdinal(name, 0, template, start, length) == 0)
            {
                return value;
            }
        }

        return null;
    }

    private static HttpContent WithType(HttpContent content, string contentType)
    {
        // A bare media type (the usual case) needs no parser.
        content.Headers.ContentType = contentType.Contains(';', StringComparison.Ordinal) ? MediaTypeHeaderValue.Parse(contentType) : new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static ArgumentNullException Missing(string name) => new(name, $"The required parameter '{name}' has no value.");

    /// <summary>
    /// A body read from the caller's stream: rewound to where it started for every serialization when
    /// the stream can seek, and never disposed (unlike <see cref="StreamContent"/>, which disposes its
    /// stream with the request message and so would break the next send).
    /// </summary>
    private sealed class CallerStreamContent(Stream stream, long start, Func<InvalidOperationException> notResendable) : HttpContent
    {
        private bool _read;

        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context)
            => SerializeToStreamAsync(target, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken)
        {
            Prepare();
            await stream.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        protected override void SerializeToStream(Stream target, TransportContext? context, CancellationToken cancellationToken)
        {
            Prepare();
            stream.CopyTo(target);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = start >= 0 ? stream.Length - start : 0;
            return start >= 0;
        }

        private void Prepare()
        {
            if (start >= 0)
            {
                stream.Position = start;
            }
            else if (_read)
            {
                throw notResendable();
            }

            _read = true;
        }
    }
}
