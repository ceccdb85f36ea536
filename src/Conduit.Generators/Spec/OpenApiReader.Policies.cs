using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>The service's rules, from the vendor extensions in docs/openapi-extensions.md.</summary>
internal sealed partial class OpenApiReader
{
    private static readonly string[] HttpMethods = { "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE" };
    /// <summary>The longest duration a rule may give, in seconds: a day, as Polly's strategies accept.</summary>
    private const double MaxSeconds = 86_400;

    private static readonly Regex GroupPattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);

    // One limiter per (group, method): the sizes every rule for it must agree on.
    private readonly Dictionary<string, RateLimitModel> _limiters = new(StringComparer.Ordinal);
    private readonly Dictionary<Node, RetryModel?> _retries = new(NodeIdentity.Instance);
    private readonly Dictionary<Node, Dictionary<string, RateLimitModel>> _rateLimits = new(NodeIdentity.Instance);

    private int PolicyIndex(PolicyModel policy)
    {
        var index = _policies.IndexOf(policy);
        if (index < 0)
        {
            _policies.Add(policy);
            index = _policies.Count - 1;
        }

        return index;
    }

    private PolicyModel ReadPolicy(Located operation, Located pathItem, string method, BodyModel? body)
    {
        var root = new Located(_root.Result.Root!, _root);
        var levels = new[] { operation, pathItem, root };
        var retry = Nearest(levels, "x-retry") is { } retryPlace ? CachedRetry(retryPlace) : null;
        var multipart = Nearest(levels, "x-multipart") is { } multipartPlace ? ReadMultipart(multipartPlace) : true;
        var limits = new List<RateLimitModel>();
        var upper = method.ToUpperInvariant();
        foreach (var level in levels)
        {
            if (level.Node["x-rate-limit"] is { } rules && RateLimitsOf(new Located(rules, level.Document)).TryGetValue(upper, out var rule))
            {
                limits.Add(rule);
                break;
            }
        }

        return new PolicyModel(retry, limits.ToEquatableArray(), multipart, body?.Type is { } bodyType ? MaxFileInputs(bodyType) : null);
    }

    private static Located? Nearest(Located[] levels, string extension)
    {
        foreach (var level in levels)
        {
            if (level.Node[extension] is { } value)
            {
                return new Located(value, level.Document);
            }
        }

        return null;
    }

    private RetryModel? ReadRetry(Located place)
    {
        var node = place.Node;
        if (node.Kind != NodeKind.Object)
        {
            return Invalid<RetryModel>(place, "x-retry", "it must be an object with 'statuses' and 'maxRetries'");
        }

        var statuses = new List<int>();
        var classes = new List<int>();
        if (node["statuses"] is not { Kind: NodeKind.Array } list)
        {
            return Invalid<RetryModel>(place, "x-retry", "'statuses' is missing or not an array; list the statuses that may be retried, such as [500, 502, 503, 504]");
        }

        foreach (var item in list.Items)
        {
            if (item.Kind == NodeKind.Number && item.TryGetInt64(out var status) && status >= 100 && status <= 599)
            {
                statuses.Add((int)status);
            }
            else if (item.Kind == NodeKind.String && item.Value!.Length == 3 && item.Value[0] >= '1' && item.Value[0] <= '5' && item.Value.EndsWith("XX", StringComparison.Ordinal))
            {
                classes.Add(item.Value[0] - '0');
            }
            else
            {
                return Invalid<RetryModel>(new Located(item, place.Document), "x-retry", "a status must be an integer from 100 to 599 or a class such as \"5XX\"");
            }
        }

        if (node["maxRetries"] is not { Kind: NodeKind.Number } max || !max.TryGetInt64(out var maxRetries) || maxRetries < 0 || maxRetries > 10)
        {
            return Invalid<RetryModel>(node["maxRetries"] is { } m ? new Located(m, place.Document) : place, "x-retry", "'maxRetries' must be an integer from 0 to 10");
        }

        var backoff = node["backoff"]?.Value ?? "exponential";
        if (backoff is not ("exponential" or "linear" or "constant"))
        {
            return Invalid<RetryModel>(new Located(node["backoff"]!, place.Document), "x-retry", "'backoff' must be \"exponential\", \"linear\" or \"constant\"");
        }

        var baseDelay = 1.0;
        if (node["baseDelay"] is { } b && (!b.TryGetDouble(out baseDelay) || !(baseDelay > 0 && baseDelay <= MaxSeconds)))
        {
            return Invalid<RetryModel>(new Located(b, place.Document), "x-retry", "'baseDelay' must be a number of seconds greater than 0 and at most 86400 (a day)");
        }

        var maxDelay = 30.0;
        if (node["maxDelay"] is { } d && (!d.TryGetDouble(out maxDelay) || !(maxDelay >= baseDelay && maxDelay <= MaxSeconds)))
        {
            return Invalid<RetryModel>(new Located(d, place.Document), "x-retry", "'maxDelay' must be a number of seconds no less than 'baseDelay' and at most 86400 (a day)");
        }

        bool? Flag(string name) => node[name] is not { } flag ? true : flag.Kind == NodeKind.Boolean ? flag.IsTrue : null;
        var jitter = Flag("jitter");
        var respect = Flag("respectRetryAfter");
        if (jitter is null || respect is null)
        {
            return Invalid<RetryModel>(place, "x-retry", "'jitter' and 'respectRetryAfter' must be true or false");
        }

        return new RetryModel(
            statuses.Distinct().ToEquatableArray(),
            classes.Distinct().ToEquatableArray(),
            (int)maxRetries,
            backoff,
            baseDelay,
            maxDelay,
            jitter.Value,
            respect.Value);
    }

    // Every operation under a level shares that level's rules: each extension is read and checked once.
    private RetryModel? CachedRetry(Located place)
    {
        if (!_retries.TryGetValue(place.Node, out var retry))
        {
            _retries[place.Node] = retry = ReadRetry(place);
        }

        return retry;
    }

    private Dictionary<string, RateLimitModel> RateLimitsOf(Located place)
    {
        if (!_rateLimits.TryGetValue(place.Node, out var rules))
        {
            _rateLimits[place.Node] = rules = ReadRateLimits(place);
        }

        return rules;
    }

    /// <summary>A level's rules by the method they cover, after checking every rule of the level.</summary>
    private Dictionary<string, RateLimitModel> ReadRateLimits(Located place)
    {
        var byMethod = new Dictionary<string, RateLimitModel>(StringComparer.Ordinal);
        if (place.Node.Kind != NodeKind.Array)
        {
            Invalid(place, "x-rate-limit", "it must be an array of rules");
            return byMethod;
        }

        foreach (var item in place.Node.Items)
        {
            var rulePlace = new Located(item, place.Document);
            foreach (var (ruleMethod, rule) in ReadRateLimit(rulePlace))
            {
                if (byMethod.ContainsKey(ruleMethod))
                {
                    Invalid(rulePlace, "x-rate-limit", $"two rules at one level cover {ruleMethod}; keep one");
                    continue;
                }

                var key = rule.Group + "\n" + ruleMethod;
                if (_limiters.TryGetValue(key, out var earlier) && earlier != rule)
                {
                    Invalid(rulePlace, "x-rate-limit", $"the limiter '{rule.Group}' for {ruleMethod} is given two sizes in this document; one limiter cannot have two");
                    continue;
                }

                _limiters[key] = rule;
                byMethod[ruleMethod] = rule;
            }
        }

        return byMethod;
    }

    private IEnumerable<(string Method, RateLimitModel Rule)> ReadRateLimit(Located place)
    {
        var node = place.Node;
        if (node.Kind != NodeKind.Object)
        {
            Invalid(place, "x-rate-limit", "each rule must be an object with 'group', 'window', 'soft' and 'hard'");
            yield break;
        }

        var group = node["group"]?.Value;
        if (group is null || node["group"]!.Kind != NodeKind.String || !GroupPattern.IsMatch(group))
        {
            Invalid(place, "x-rate-limit", "'group' must be 1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
            yield break;
        }

        if (node["window"] is not { } w || !w.TryGetDouble(out var window) || !(window > 0 && window <= MaxSeconds))
        {
            Invalid(place, "x-rate-limit", "'window' must be a number of seconds greater than 0 and at most 86400 (a day)");
            yield break;
        }

        if (node["soft"] is not { } s || !s.TryGetInt64(out var soft) || soft < 1 || node["hard"] is not { } h || !h.TryGetInt64(out var hard) || hard < soft)
        {
            Invalid(place, "x-rate-limit", "'soft' must be an integer of at least 1 and 'hard' an integer no less than 'soft'");
            yield break;
        }

        var methods = new List<string>();
        if (node["methods"] is { } list)
        {
            if (list.Kind != NodeKind.Array || list.Items.Count == 0)
            {
                Invalid(place, "x-rate-limit", "'methods' must be a non-empty array of HTTP methods, or left out to cover them all");
                yield break;
            }

            foreach (var item in list.Items)
            {
                var name = item.Value?.ToUpperInvariant();
                if (name is null || Array.IndexOf(HttpMethods, name) < 0)
                {
                    Invalid(new Located(item, place.Document), "x-rate-limit", $"'{item.Value}' is not an HTTP method; use GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH or TRACE");
                    yield break;
                }

                methods.Add(name);
            }
        }
        else
        {
            methods.AddRange(HttpMethods);
        }

        foreach (var method in methods)
        {
            yield return (method, new RateLimitModel(group, method, window, (int)Math.Min(soft, int.MaxValue), (int)Math.Min(hard, int.MaxValue)));
        }
    }

    private bool ReadMultipart(Located place)
    {
        if (place.Node.Kind != NodeKind.Boolean)
        {
            Invalid(place, "x-multipart", "it must be true or false");
            return true;
        }

        return place.Node.IsTrue;
    }

    /// <summary>The most input files one request can carry: the bound of the body's x-file-input property, if any.</summary>
    private int? MaxFileInputs(TypeRef body)
    {
        if (body.Kind != TypeRefKind.Named || !_typesByName.TryGetValue(body.Name!, out var type) || type.Schema["properties"] is not { Kind: NodeKind.Object } properties)
        {
            return null;
        }

        foreach (var property in properties.Properties)
        {
            if (property.Value["x-file-input"]?.IsTrue != true)
            {
                continue;
            }

            return property.Value["maxItems"] is { } max && max.TryGetInt64(out var count) ? (int)count
                : property.Value["type"]?.Value == "array" ? null
                : 1;
        }

        return null;
    }

    /// <summary>
    /// How many files a property marked <c>x-file-input</c> carries: 1 for an object or a URL, the array's
    /// <c>maxItems</c> (-1 when unbounded) for a list; null when the mark is false or invalid.
    /// </summary>
    private int? FileInputs(Located mark, Node property, TypeRef type)
    {
        if (mark.Node.Kind != NodeKind.Boolean)
        {
            Invalid(mark, "x-file-input", "it must be true or false");
            return null;
        }

        if (!mark.Node.IsTrue)
        {
            return null;
        }

        if (type.Kind == TypeRefKind.List)
        {
            long? max = property["maxItems"] is { } m && m.TryGetInt64(out var maxItems) ? maxItems : null;
            long? min = property["minItems"] is { } n && n.TryGetInt64(out var minItems) ? minItems : null;
            if (max is < 1 || (max is not null && min > max))
            {
                Invalid(mark, "x-file-input", "a marked array needs 'maxItems' of at least 1 and no less than 'minItems'");
                return null;
            }

            return max is null ? -1 : (int)Math.Min(max.Value, int.MaxValue);
        }

        var isFile = type.Kind == TypeRefKind.Named || (type.Kind == TypeRefKind.Primitive && type.Primitive is PrimitiveKind.String or PrimitiveKind.Uri);
        if (!isFile)
        {
            Invalid(mark, "x-file-input", "a marked property must be an object that locates a file, a URL string, or an array of them");
            return null;
        }

        return 1;
    }

    private T? Invalid<T>(Located place, string extension, string message)
        where T : class
    {
        _diagnostics.At(Descriptors.InvalidExtension, place, extension, message);
        return null;
    }

    private void Invalid(Located place, string extension, string message) => _diagnostics.At(Descriptors.InvalidExtension, place, extension, message);
}
