using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// The service's rules for one generated operation, read from the <c>[OperationRules]</c> attribute the
/// generator puts on its method (interface and class alike). The defaults are the attribute's.
/// </summary>
/// <param name="OperationId">The operation's id in the document.</param>
/// <param name="Method">The generated method that carries the attribute.</param>
/// <param name="RetryStatuses">The statuses the service allows retrying, or null when the document gives no list.</param>
/// <param name="RetryStatusClasses">Status classes the service allows retrying (5 for every 5xx), or null.</param>
/// <param name="MaxRetries">Retries after the first try the service allows.</param>
/// <param name="BaseDelaySeconds">The shortest first delay the service asks for, in seconds.</param>
/// <param name="MultipartAllowed">Whether the service accepts multipart bodies for the operation.</param>
/// <param name="MaxFileInputs">How many input files one request may carry, or -1 when unbounded.</param>
/// <param name="StartsJob">Whether the operation starts an asynchronous job.</param>
internal sealed record OperationRules(
    string OperationId,
    IMethodSymbol Method,
    ImmutableArray<int>? RetryStatuses,
    ImmutableArray<int>? RetryStatusClasses,
    int MaxRetries,
    double BaseDelaySeconds,
    bool MultipartAllowed,
    int MaxFileInputs,
    bool StartsJob)
{
    /// <summary>Whether the document gives the operation a retry rule (statuses or status classes).</summary>
    public bool HasRetryRule => RetryStatuses is not null || RetryStatusClasses is not null;

    /// <summary>Whether an attribute's <c>Operation</c> selector names this operation: its id, its method's name, or that name without "Async".</summary>
    public bool IsNamed(string name)
        => name == OperationId || name == Method.Name || (Method.Name.EndsWith("Async", System.StringComparison.Ordinal) && name == Method.Name.Substring(0, Method.Name.Length - 5));

    public static OperationRules Read(IMethodSymbol method, AttributeData attribute)
    {
        var operationId = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string id ? id : method.Name;
        ImmutableArray<int>? statuses = null;
        ImmutableArray<int>? classes = null;
        var maxRetries = 0;
        var baseDelay = 0.0;
        var multipart = true;
        var maxFiles = -1;
        var startsJob = false;
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            switch (argument.Key)
            {
                case "RetryStatuses":
                    statuses = Integers(value);
                    break;
                case "RetryStatusClasses":
                    classes = Integers(value);
                    break;
                case "MaxRetries" when value.Value is int retries:
                    maxRetries = retries;
                    break;
                case "BaseDelaySeconds" when value.Value is double delay:
                    baseDelay = delay;
                    break;
                case "MultipartAllowed" when value.Value is bool allowed:
                    multipart = allowed;
                    break;
                case "MaxFileInputs" when value.Value is int files:
                    maxFiles = files;
                    break;
                case "StartsJob" when value.Value is bool job:
                    startsJob = job;
                    break;
            }
        }

        return new OperationRules(operationId, method, statuses, classes, maxRetries, baseDelay, multipart, maxFiles, startsJob);
    }

    private static ImmutableArray<int>? Integers(TypedConstant value)
    {
        if (value.IsNull || value.Kind != TypedConstantKind.Array)
        {
            return null;
        }

        var builder = ImmutableArray.CreateBuilder<int>(value.Values.Length);
        foreach (var item in value.Values)
        {
            if (item.Value is int number)
            {
                builder.Add(number);
            }
        }

        return builder.ToImmutable();
    }
}
