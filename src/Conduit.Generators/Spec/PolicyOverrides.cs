using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;

namespace Conduit.Generators.Spec;

/// <summary>
/// Applies the client class's [RetryPolicy] and [RateLimit] attributes over the document's rules. The
/// most specific attribute wins (operation, tag, group, method, whole client); values are checked as
/// the document's extensions are, and a rate limit never goes above the service's hard limit.
/// </summary>
internal sealed class PolicyOverrides
{
    private static readonly string[] HttpMethods = { "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE" };

    /// <summary>The longest retry delay: Polly's retry strategy refuses a longer Delay or MaxDelay when the pipeline is built.</summary>
    private const double MaxDelaySeconds = 86400;

    /// <summary>The longest window a generated <c>TimeSpan.FromSeconds</c> can hold, with room for the limiter's margin.</summary>
    private static readonly double MaxWindowSeconds = TimeSpan.MaxValue.TotalSeconds / 2;

    private readonly List<PolicyOverride> _overrides;
    private readonly string _className;
    private readonly string _defaultGroup;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, List<string>> _groupsOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private PolicyOverrides(IEnumerable<PolicyOverride> overrides, string clientNamespace, string className, DiagnosticBag diagnostics)
    {
        _overrides = overrides.ToList();
        _className = className;
        _defaultGroup = clientNamespace.Length > 0 ? clientNamespace + "." + className : className;
        _diagnostics = diagnostics;
    }

    /// <summary>Rewrites each operation's policy; <paramref name="policies"/> becomes the distinct policies in use.</summary>
    public static void Apply(ClientTarget target, List<OperationModel> operations, List<PolicyModel> policies, DiagnosticBag diagnostics)
    {
        if (target.Overrides.Count == 0)
        {
            return;
        }

        var applier = new PolicyOverrides(target.Overrides, target.Namespace, target.ClassName, diagnostics);
        foreach (var operation in operations)
        {
            applier._groupsOf[operation.FieldName] = policies[operation.PolicyIndex].RateLimits.Select(r => r.Group).ToList();
        }

        applier.Check(operations);
        var (ceilings, defined) = applier.Limits(operations, policies);
        var original = policies.ToList();
        policies.Clear();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var policy = original[operation.PolicyIndex];
            var rateLimits = policy.RateLimits.Count > 0
                ? policy.RateLimits.Select(rule => ceilings.TryGetValue(Key(rule.Group, rule.Method!), out var limit) ? rule with { Limit = limit } : rule).ToEquatableArray()
                : defined.TryGetValue(operation.FieldName, out var rule) ? new[] { rule }.ToEquatableArray() : policy.RateLimits;
            var updated = policy with { Retry = applier.Retry(operation, policy.Retry), RateLimits = rateLimits };
            var index = policies.IndexOf(updated);
            if (index < 0)
            {
                policies.Add(updated);
                index = policies.Count - 1;
            }

            operations[i] = operation with { PolicyIndex = index };
        }
    }

    /// <summary>The hard limit a CND1012 message names ("Use at most 16;"), for its code fix; null when it names none.</summary>
    internal static int? HardLimitIn(string message)
    {
        const string before = "Use at most ";
        var start = message.IndexOf(before, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += before.Length;
        var end = start;
        while (end < message.Length && char.IsDigit(message[end]))
        {
            end++;
        }

        return int.TryParse(message.Substring(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
    }

    private static string Key(string? group, string method) => group + "\n" + method;

    private static bool IsOperation(OperationModel operation, string name)
        => name == operation.OperationId || name == operation.MethodName || name == operation.FieldName;

    /// <summary>Whether the attribute's selectors (all of those it sets) match the operation.</summary>
    private static bool Selects(PolicyOverride o, OperationModel operation, string? group)
        => (o.Operation is null || IsOperation(operation, o.Operation))
            && (o.Tag is null || operation.Tags.Contains(o.Tag))
            && (o.HttpMethod is null || string.Equals(o.HttpMethod, operation.HttpMethod, StringComparison.OrdinalIgnoreCase))
            && (o.IsRetry || o.Group is null || o.Group == group);

    /// <summary>
    /// How specific an attribute is: its rank (operation, tag, group, method, whole client), then how many
    /// selectors it sets, so [RetryPolicy(Tag = "a", HttpMethod = "POST")] beats [RetryPolicy(Tag = "a")].
    /// </summary>
    private static (int Rank, int Selectors) Specificity(PolicyOverride o)
        => (o.Rank, (o.Operation is null ? 0 : 1) + (o.Tag is null ? 0 : 1) + (o.Group is null ? 0 : 1) + (o.HttpMethod is null ? 0 : 1));

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Reports attributes with invalid values or that select nothing, and drops them.</summary>
    private void Check(List<OperationModel> operations)
    {
        _overrides.RemoveAll(o =>
        {
            // A [RateLimit] without its limit does not compile (CS7036, reported while the user types it): leave it out.
            if (!o.IsRetry && o.Limit is null)
            {
                return true;
            }

            if (CheckValues(o) is { } problem)
            {
                _diagnostics.Add(Descriptors.InvalidPolicyValue, o.Location, $"{o.Name} on '{_className}': {problem}");
                return true;
            }

            var selected = o.IsRetry ? operations.Any(op => Selects(o, op, null))
                : o.WindowSeconds is not null ? operations.Any(op => _groupsOf[op.FieldName].Count == 0 && Selects(o, op, o.Group))
                : operations.Any(op => _groupsOf[op.FieldName].Any(group => Selects(o, op, group)));
            if (!selected)
            {
                _diagnostics.Add(Descriptors.PolicySelectsNothing, o.Location, $"{o.Name} on '{_className}' selects no operation: {WhatIsMissing(o, operations)}");
            }

            return !selected;
        });
    }

    private string WhatIsMissing(PolicyOverride o, List<OperationModel> operations)
    {
        if (o.Operation is not null && !operations.Any(op => IsOperation(op, o.Operation)))
        {
            return $"the document has no operation '{o.Operation}' (by operationId or method name; it has {Closest(operations.Select(op => op.OperationId), o.Operation)})";
        }

        if (o.Tag is not null && !operations.Any(op => op.Tags.Contains(o.Tag)))
        {
            return $"no operation has the tag '{o.Tag}' (the document's tags include {Closest(operations.SelectMany(op => op.Tags), o.Tag)})";
        }

        if (o.Group is not null && o.WindowSeconds is null && !_groupsOf.Values.Any(g => g.Contains(o.Group)))
        {
            return $"the document has no rate-limit group '{o.Group}' (it has {Closest(_groupsOf.Values.SelectMany(g => g), o.Group)}); set WindowSeconds to define a limit of your own";
        }

        if (!o.IsRetry && o.WindowSeconds is null && !_groupsOf.Values.Any(g => g.Count > 0))
        {
            return "the document declares no rate limit to set a ceiling for; set WindowSeconds to define one";
        }

        if (o.WindowSeconds is not null && operations.Any(op => Selects(o, op, o.Group)))
        {
            return "every operation it selects already has a rate limit in the document, and WindowSeconds defines one only where the document has none; leave WindowSeconds out to set the ceiling of the document's limit";
        }

        return "no operation matches all of its selectors (Operation, Tag, HttpMethod, Group) together";
    }

    /// <summary>Up to eight of the names, quoted, those closest to the one asked for first, so that a typo shows its fix.</summary>
    private static string Closest(IEnumerable<string> names, string wanted)
    {
        var closest = names.Distinct()
            .OrderBy(n => Distance(n.ToUpperInvariant(), wanted.ToUpperInvariant()))
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        return string.Join(", ", closest.Take(8).Select(n => "'" + n + "'")) + (closest.Count > 8 ? ", ..." : string.Empty);
    }

    /// <summary>The Levenshtein distance: how many characters to insert, delete or change to turn one name into the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string? CheckValues(PolicyOverride o)
    {
        if (!o.IsRetry && o.WindowSeconds is null && o.Rank == 0)
        {
            return "it selects every limit of the document; select the ones it sets with Group and HttpMethod (or Operation or Tag), since one number for every limit (POST and GET alike) is rarely what a service allows";
        }

        if (o.HttpMethod is not null && Array.IndexOf(HttpMethods, o.HttpMethod.ToUpperInvariant()) < 0)
        {
            return $"HttpMethod \"{o.HttpMethod}\" is not an HTTP method; use GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH or TRACE";
        }

        if (o.MaxRetries is { } max && (max < 0 || max > 10))
        {
            return $"MaxRetries = {max} is outside 0..10";
        }

        if (o.Statuses is { } statuses && statuses.Where(s => s < 100 || s > 599).Select(s => (int?)s).FirstOrDefault() is { } bad)
        {
            return $"Statuses lists {bad}, which is not an HTTP status (100 to 599)";
        }

        if (o.Backoff == "unknown")
        {
            return "Backoff must be BackoffKind.Exponential, Linear or Constant";
        }

        if (o.BaseDelay is { } baseDelay && !(baseDelay > 0))
        {
            return $"BaseDelaySeconds = {Number(baseDelay)} must be greater than 0";
        }

        if (o.MaxDelay is { } maxDelay && !(maxDelay >= (o.BaseDelay ?? 0)) || o.MaxDelay is <= 0)
        {
            return $"MaxDelaySeconds = {Number(o.MaxDelay!.Value)} must be greater than 0 and no less than BaseDelaySeconds";
        }

        if (o.BaseDelay > MaxDelaySeconds || o.MaxDelay > MaxDelaySeconds)
        {
            return $"{(o.BaseDelay > MaxDelaySeconds ? "BaseDelaySeconds" : "MaxDelaySeconds")} is longer than a day; the retry pipeline (Polly) accepts delays of at most {Number(MaxDelaySeconds)} seconds";
        }

        if (!o.IsRetry && o.Limit is < 1)
        {
            return $"a limit of {o.Limit} requests per window lets nothing through; give at least 1";
        }

        if (o.WindowSeconds is { } window && !(window > 0))
        {
            return $"WindowSeconds = {Number(window)} must be greater than 0";
        }

        if (o.WindowSeconds > MaxWindowSeconds)
        {
            return "WindowSeconds is longer than a TimeSpan can hold";
        }

        return null;
    }

    /// <summary>The operation's retry rule: the document's, with the matching attributes' members over it.</summary>
    private RetryModel? Retry(OperationModel operation, RetryModel? document)
    {
        var matching = _overrides.Where(o => o.IsRetry && Selects(o, operation, null)).OrderBy(Specificity).ToList();
        if (matching.Count == 0)
        {
            return document;
        }

        ReportConflicts(matching, operation.OperationId);
        var rule = document ?? new RetryModel(EquatableArray<int>.Empty, EquatableArray<int>.Empty, 3, "exponential", 1, 30, true, true);
        foreach (var o in matching)
        {
            rule = rule with
            {
                Statuses = o.Statuses ?? rule.Statuses,
                StatusClasses = o.Statuses is null ? rule.StatusClasses : EquatableArray<int>.Empty,
                MaxRetries = o.MaxRetries ?? rule.MaxRetries,
                Backoff = o.Backoff ?? rule.Backoff,
                BaseDelaySeconds = o.BaseDelay ?? rule.BaseDelaySeconds,
                MaxDelaySeconds = o.MaxDelay ?? rule.MaxDelaySeconds,
                Jitter = o.Jitter ?? rule.Jitter,
                RespectRetryAfter = o.RespectRetryAfter ?? rule.RespectRetryAfter,
            };
        }

        if (rule.MaxDelaySeconds < rule.BaseDelaySeconds)
        {
            rule = rule with { MaxDelaySeconds = rule.BaseDelaySeconds };
        }

        var last = matching[matching.Count - 1];
        if (rule.MaxRetries > 0 && rule.Statuses.Count == 0 && rule.StatusClasses.Count == 0 && _reported.Add("no-statuses|" + last.Location))
        {
            _diagnostics.Add(
                Descriptors.InvalidPolicyValue,
                last.Location,
                $"{last.Name} on '{_className}' retries '{operation.OperationId}' up to {rule.MaxRetries} times but names no Statuses, and the document gives none for it: nothing would be retried. Set the statuses the service says are safe to retry, such as Statuses = new[] {{ 500, 502, 503, 504 }}.");
        }

        return rule;
    }

    /// <summary>Two attributes of the same rank that both select an operation must not set a member differently.</summary>
    private void ReportConflicts(List<PolicyOverride> matching, string operationId)
    {
        for (var i = 0; i < matching.Count; i++)
        {
            for (var j = i + 1; j < matching.Count && Specificity(matching[j]) == Specificity(matching[i]); j++)
            {
                var (a, b) = (matching[i], matching[j]);
                var member = Differs(a.MaxRetries, b.MaxRetries, "MaxRetries") ?? Differs(a.Statuses, b.Statuses, "Statuses")
                    ?? Differs(a.Backoff, b.Backoff, "Backoff") ?? Differs(a.BaseDelay, b.BaseDelay, "BaseDelaySeconds")
                    ?? Differs(a.MaxDelay, b.MaxDelay, "MaxDelaySeconds") ?? Differs(a.Jitter, b.Jitter, "Jitter")
                    ?? Differs(a.RespectRetryAfter, b.RespectRetryAfter, "RespectRetryAfter") ?? Differs(a.Limit, b.Limit, "the limit")
                    ?? Differs(a.WindowSeconds, b.WindowSeconds, "WindowSeconds");
                if (member is not null && _reported.Add(a.Location + "|" + b.Location))
                {
                    _diagnostics.Add(
                        Descriptors.PoliciesConflict,
                        b.Location,
                        $"Two {a.Name} attributes on '{_className}' are equally specific for '{operationId}' and set {member} differently; make one of them more specific (Operation beats Tag beats Group beats HttpMethod, and more of them beat fewer) or remove one.");
                }
            }
        }
    }

    /// <summary>A limit defined with WindowSeconds for a (group, method) that the document, or another attribute, already gave another size.</summary>
    private void ReportSecondSize(PolicyOverride o, RateLimitModel rule, RateLimitModel sized, PolicyOverride? earlier)
    {
        var size = $"{sized.Limit ?? sized.Soft} per {Number(sized.WindowSeconds)} s";
        if (earlier is null)
        {
            _diagnostics.Add(
                Descriptors.InvalidPolicyValue,
                o.Location,
                $"{o.Name} on '{_className}': the group '{rule.Group}' already has a limit for {rule.Method} in the document ({size}, hard limit {sized.Hard}), and one limiter cannot have two sizes; give the limit you define with WindowSeconds a Group of its own");
        }
        else if (_reported.Add(earlier.Location + "|" + o.Location))
        {
            _diagnostics.Add(
                Descriptors.PoliciesConflict,
                (_overrides.IndexOf(earlier) > _overrides.IndexOf(o) ? earlier : o).Location,
                $"Two {o.Name} attributes on '{_className}' define the limit '{rule.Group} {rule.Method}' with different sizes ({size}, and {rule.Limit ?? rule.Soft} per {Number(rule.WindowSeconds)} s); one limiter has one size: make them agree, or give one a Group of its own.");
        }
    }

    private static string? Differs<T>(T? a, T? b, string member) => a is not null && b is not null && !EqualityComparer<T>.Default.Equals(a, b) ? member : null;

    /// <summary>
    /// The ceiling attributes set for each document limiter, by (group, method); and the limits attributes
    /// define (WindowSeconds) for operations the document gives none, by operation id.
    /// </summary>
    private (Dictionary<string, int> Ceilings, Dictionary<string, RateLimitModel> Defined) Limits(List<OperationModel> operations, List<PolicyModel> policies)
    {
        var rules = new Dictionary<string, RateLimitModel>(StringComparer.Ordinal);
        var selecting = new Dictionary<string, List<PolicyOverride>>(StringComparer.Ordinal);
        var defined = new Dictionary<string, RateLimitModel>(StringComparer.Ordinal);
        var definedBy = new Dictionary<string, PolicyOverride>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            foreach (var rule in policies[operation.PolicyIndex].RateLimits)
            {
                var key = Key(rule.Group, rule.Method!);
                rules[key] = rule;
                foreach (var o in _overrides.Where(o => !o.IsRetry && o.WindowSeconds is null && Selects(o, operation, rule.Group)))
                {
                    (selecting.TryGetValue(key, out var list) ? list : selecting[key] = new List<PolicyOverride>()).Add(o);
                }
            }
        }

        // Once every limiter of the document is known: a limiter has one size, whoever defines it.
        foreach (var operation in operations.Where(op => policies[op.PolicyIndex].RateLimits.Count == 0))
        {
            var definers = _overrides.Where(o => !o.IsRetry && o.WindowSeconds is not null && Selects(o, operation, o.Group)).OrderBy(Specificity).ToList();
            if (definers.Count == 0)
            {
                continue;
            }

            ReportConflicts(definers, operation.OperationId);
            var o = definers[definers.Count - 1];
            var rule = new RateLimitModel(o.Group ?? _defaultGroup, operation.HttpMethod, o.WindowSeconds!.Value, o.Limit!.Value, o.Limit.Value);
            var key = Key(rule.Group, rule.Method!);
            if (rules.TryGetValue(key, out var sized) && sized != rule)
            {
                ReportSecondSize(o, rule, sized, definedBy.TryGetValue(key, out var earlier) ? earlier : null);
                continue;
            }

            definedBy[key] = o;
            rules[key] = rule;
            defined[operation.FieldName] = rule;
        }

        var ceilings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in selecting)
        {
            // In the order they are written, so a conflict is reported at the later of the two.
            var ranked = _overrides.Where(entry.Value.Contains).OrderBy(Specificity).ToList();
            var rule = rules[entry.Key];
            ReportConflicts(ranked, rule.Group + " " + rule.Method);
            var winner = ranked[ranked.Count - 1];
            if (winner.Limit > rule.Hard)
            {
                _diagnostics.Add(
                    Descriptors.RateLimitAboveHardLimit,
                    winner.Location,
                    $"[RateLimit({winner.Limit})] on '{_className}' asks for {winner.Limit} requests per {Number(rule.WindowSeconds)} s for {rule.Group} {rule.Method}, above the service's hard limit of {rule.Hard}. Use at most {rule.Hard}; the default is the soft limit, {rule.Soft}.");
                continue;
            }

            ceilings[entry.Key] = winner.Limit!.Value;
        }

        return (ceilings, defined);
    }
}
