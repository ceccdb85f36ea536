using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// CND3002 and CND3006: a <c>[RetryPolicy]</c> on a client class that retries a 4xx, retries more often than
/// the service allows, or waits less before the first retry than the service asks, for the operations it
/// selects. Attributes the generator already rejects (CND1010, CND1011) are left to it.
/// </summary>
/// <remarks>
/// The rules come from the <c>[OperationRules]</c> of the class's generated methods. An attribute that selects
/// by <c>Operation</c> (or selects everything) is checked against the operations it selects: the strictest
/// rule among them. One that selects by <c>Tag</c> or <c>HttpMethod</c>, which generated methods do not
/// carry, is checked against the most lenient rule of all the client's operations, so that it is never
/// reported for an operation it may not select.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryPolicyAnalyzer : ConduitAnalyzer
{
    private static readonly string[] HttpMethods = { "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE" };

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        UsageDescriptors.RetryPolicyRetriesClientError,
        UsageDescriptors.RetryPolicyOutsideRules);

    private protected override void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols)
    {
        if (symbols.RetryPolicyAttribute is null || symbols.OpenApiClientAttribute is null)
        {
            return;
        }

        context.RegisterSymbolAction(c => AnalyzeClient(c, symbols), SymbolKind.NamedType);
    }

    private static void AnalyzeClient(SymbolAnalysisContext context, ConduitSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!symbols.IsClientClass(type))
        {
            return;
        }

        var operations = symbols.OperationsOf(type);
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.RetryPolicyAttribute)
                && attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax syntax
                && Read(attribute) is { } policy
                && Selection.Of(policy, operations) is { } selection)
            {
                CheckStatuses(context, type, syntax, policy, selection);
                CheckMaxRetries(context, type, syntax, policy, selection);
                CheckBaseDelay(context, type, syntax, policy, selection);
            }
        }
    }

    /// <summary>CND3002: 4xx statuses in <c>Statuses</c>; the fix keeps the others, or falls back on the document's.</summary>
    private static void CheckStatuses(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeSyntax syntax, Policy policy, Selection selection)
    {
        if (policy.Statuses is not { } statuses || Argument(syntax, "Statuses") is not { } argument)
        {
            return;
        }

        var clientErrors = statuses.Where(s => s is >= 400 and <= 499).ToList();
        if (clientErrors.Count == 0)
        {
            return;
        }

        var kept = statuses.Where(s => s is < 400 or > 499).ToList();
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (kept.Count > 0 || selection.Operations.All(o => o.HasRetryRule))
        {
            properties = properties.Add(UsageDescriptors.Properties.Value, string.Join(",", kept.Select(s => s.ToString(CultureInfo.InvariantCulture))));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            UsageDescriptors.RetryPolicyRetriesClientError,
            argument.GetLocation(),
            properties,
            type.Name,
            string.Join(", ", clientErrors.Select(s => s.ToString(CultureInfo.InvariantCulture)))));
    }

    /// <summary>CND3006 for <c>MaxRetries</c> above what the service allows.</summary>
    private static void CheckMaxRetries(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeSyntax syntax, Policy policy, Selection selection)
    {
        var ruled = selection.Operations.Where(o => o.HasRetryRule).ToList();
        if (policy.MaxRetries is not { } value || ruled.Count == 0 || Argument(syntax, "MaxRetries") is not { } argument)
        {
            return;
        }

        var allowed = selection.Exact ? ruled.Min(o => o.MaxRetries) : ruled.Max(o => o.MaxRetries);
        if (value > allowed)
        {
            var text = allowed.ToString(CultureInfo.InvariantCulture);
            Report(context, argument, type, "MaxRetries", value.ToString(CultureInfo.InvariantCulture), selection, $"at most {text} {(allowed == 1 ? "retry" : "retries")}", text);
        }
    }

    /// <summary>CND3006 for <c>BaseDelaySeconds</c> below what the service asks.</summary>
    private static void CheckBaseDelay(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeSyntax syntax, Policy policy, Selection selection)
    {
        var ruled = selection.Operations.Where(o => o.HasRetryRule).ToList();
        if (policy.BaseDelaySeconds is not { } value || ruled.Count == 0 || Argument(syntax, "BaseDelaySeconds") is not { } argument)
        {
            return;
        }

        var asked = selection.Exact ? ruled.Max(o => o.BaseDelaySeconds) : ruled.Min(o => o.BaseDelaySeconds);
        if (value < asked)
        {
            var text = asked.ToString("0.###", CultureInfo.InvariantCulture);
            Report(context, argument, type, "BaseDelaySeconds", value.ToString("0.###", CultureInfo.InvariantCulture), selection, $"a first delay of at least {text} s", text);
        }
    }

    private static void Report(SymbolAnalysisContext context, AttributeArgumentSyntax argument, INamedTypeSymbol type, string member, string value, Selection selection, string allowed, string fixedValue)
        => context.ReportDiagnostic(Diagnostic.Create(
            UsageDescriptors.RetryPolicyOutsideRules,
            argument.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(UsageDescriptors.Properties.Value, fixedValue),
            type.Name,
            member,
            value,
            selection.Description,
            allowed,
            member + " = " + fixedValue));

    private static AttributeArgumentSyntax? Argument(AttributeSyntax syntax, string name)
        => syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>The attribute's members, or null when the generator reports it as invalid (CND1011).</summary>
    private static Policy? Read(AttributeData attribute)
    {
        var policy = new Policy();
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            switch (argument.Key)
            {
                case "Operation":
                    policy.Operation = value.Value as string;
                    break;
                case "Tag" or "HttpMethod":
                    policy.Narrowed = true;
                    if (argument.Key == "HttpMethod" && value.Value is string method && Array.IndexOf(HttpMethods, method.ToUpperInvariant()) < 0)
                    {
                        return null;
                    }

                    break;
                case "MaxRetries" when value.Value is int retries:
                    policy.MaxRetries = retries;
                    break;
                case "BaseDelaySeconds" when value.Value is double delay:
                    policy.BaseDelaySeconds = delay;
                    break;
                case "Statuses" when !value.IsNull:
                    policy.Statuses = value.Values.Select(v => v.Value is int status ? status : 0).ToList();
                    break;
            }
        }

        var invalid = policy.MaxRetries is < 0 or > 10
            || policy.BaseDelaySeconds is <= 0
            || (policy.Statuses?.Any(s => s is < 100 or > 599) ?? false);
        return invalid ? null : policy;
    }

    private sealed class Policy
    {
        public string? Operation { get; set; }

        /// <summary>Whether it also selects by Tag or HttpMethod, which the analyzer cannot resolve.</summary>
        public bool Narrowed { get; set; }

        public int? MaxRetries { get; set; }

        public double? BaseDelaySeconds { get; set; }

        public List<int>? Statuses { get; set; }
    }

    /// <summary>The operations an attribute selects, exactly or (with Tag or HttpMethod) a superset of them.</summary>
    private sealed class Selection
    {
        private Selection(List<OperationRules> operations, bool exact, string description)
        {
            Operations = operations;
            Exact = exact;
            Description = description;
        }

        public List<OperationRules> Operations { get; }

        public bool Exact { get; }

        public string Description { get; }

        /// <summary>The selection, or null when it is empty (the generator reports CND1010).</summary>
        public static Selection? Of(Policy policy, ImmutableArray<OperationRules> operations)
        {
            var selected = policy.Operation is { } name ? operations.Where(o => o.IsNamed(name)).ToList() : operations.ToList();
            if (selected.Count == 0)
            {
                return null;
            }

            var description = policy.Operation is not null ? "'" + selected[0].OperationId + "'"
                : policy.Narrowed ? "the operations it selects"
                : "every operation";
            return new Selection(selected, !policy.Narrowed, description);
        }
    }
}
