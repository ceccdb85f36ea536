using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// The types Conduit's analyzers look for, looked up once per compilation, and what they read from generated
/// code: the rules on operation methods, the input-file bound on request properties, and which
/// <c>IHttpClientBuilder</c> belongs to a generated client. Shared by the actions of one compilation, so
/// its caches are concurrent.
/// </summary>
internal sealed class ConduitSymbols
{
    private readonly ConcurrentDictionary<IMethodSymbol, OperationRules?> _rules = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<OperationRules>> _operations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IPropertySymbol, int> _fileInputs = new(SymbolEqualityComparer.Default);

    private ConduitSymbols(Compilation compilation, INamedTypeSymbol operationRules)
    {
        OperationRulesAttribute = operationRules;
        FileInputAttribute = compilation.GetTypeByMetadataName("Conduit.Policies.FileInputAttribute");
        OpenApiClientAttribute = compilation.GetTypeByMetadataName(ClientGenerator.AttributeName);
        RetryPolicyAttribute = compilation.GetTypeByMetadataName(ClientGenerator.RetryPolicyAttributeName);
        ClientOptions = compilation.GetTypeByMetadataName("Conduit.ConduitClientOptions");
        ApiJob = compilation.GetTypeByMetadataName("Conduit.Jobs.ApiJob`1");
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpContent = compilation.GetTypeByMetadataName("System.Net.Http.HttpContent");
        MultipartContent = compilation.GetTypeByMetadataName("System.Net.Http.MultipartContent");
        HttpRequestMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestMessage");
        HttpResponseMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpResponseMessage");
        HttpStatusCode = compilation.GetTypeByMetadataName("System.Net.HttpStatusCode");
        HttpClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder");
        ServiceCollection = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        RetryStrategyOptions = compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions`1");
        RetryExtensions = compilation.GetTypeByMetadataName("Polly.RetryResiliencePipelineBuilderExtensions");
        PredicateBuilder = compilation.GetTypeByMetadataName("Polly.PredicateBuilder`1");
        PredicateResult = compilation.GetTypeByMetadataName("Polly.PredicateResult");
        Outcome = compilation.GetTypeByMetadataName("Polly.Outcome`1");
        HttpRetryStrategyOptions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions");
    }

    public INamedTypeSymbol OperationRulesAttribute { get; }

    public INamedTypeSymbol? FileInputAttribute { get; }

    public INamedTypeSymbol? OpenApiClientAttribute { get; }

    public INamedTypeSymbol? RetryPolicyAttribute { get; }

    public INamedTypeSymbol? ClientOptions { get; }

    public INamedTypeSymbol? ApiJob { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpContent { get; }

    public INamedTypeSymbol? MultipartContent { get; }

    public INamedTypeSymbol? HttpRequestMessage { get; }

    public INamedTypeSymbol? HttpResponseMessage { get; }

    public INamedTypeSymbol? HttpStatusCode { get; }

    public INamedTypeSymbol? HttpClientBuilder { get; }

    public INamedTypeSymbol? ServiceCollection { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? RetryStrategyOptions { get; }

    public INamedTypeSymbol? RetryExtensions { get; }

    public INamedTypeSymbol? PredicateBuilder { get; }

    public INamedTypeSymbol? PredicateResult { get; }

    public INamedTypeSymbol? Outcome { get; }

    public INamedTypeSymbol? HttpRetryStrategyOptions { get; }

    /// <summary>The symbols, or null when the compilation does not reference Conduit (nothing to analyze).</summary>
    public static ConduitSymbols? Create(Compilation compilation)
        => compilation.GetTypeByMetadataName("Conduit.Policies.OperationRulesAttribute") is { } rules ? new ConduitSymbols(compilation, rules) : null;

    /// <summary>The rules a generated operation method carries, or null for any other method.</summary>
    public OperationRules? RulesOf(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic)
        {
            return null;
        }

        return _rules.GetOrAdd(method, m =>
        {
            foreach (var attribute in m.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, OperationRulesAttribute))
                {
                    return OperationRules.Read(m, attribute);
                }
            }

            return null;
        });
    }

    /// <summary>The generated operations of a client class or interface: its methods with rules.</summary>
    public ImmutableArray<OperationRules> OperationsOf(INamedTypeSymbol type) => _operations.GetOrAdd(type, t =>
    {
        var builder = ImmutableArray.CreateBuilder<OperationRules>();
        foreach (var member in t.GetMembers())
        {
            if (member is IMethodSymbol method && RulesOf(method) is { } rules)
            {
                builder.Add(rules);
            }
        }

        return builder.ToImmutable();
    });

    /// <summary>Whether the type is a class marked <c>[OpenApiClient]</c>.</summary>
    public bool IsClientClass(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named || OpenApiClientAttribute is null)
        {
            return false;
        }

        foreach (var attribute in named.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, OpenApiClientAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the type is a generated client: a class marked <c>[OpenApiClient]</c>, or an interface with generated operations.</summary>
    public bool IsClient(ITypeSymbol? type)
        => IsClientClass(type) || (type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named && !OperationsOf(named).IsEmpty);

    /// <summary>How many input files one request may carry through the property (<c>[FileInput(MaxItems = n)]</c>), or null when unbounded or not an input.</summary>
    public int? MaxFileInputs(IPropertySymbol property)
    {
        if (FileInputAttribute is null)
        {
            return null;
        }

        var max = _fileInputs.GetOrAdd(property.OriginalDefinition, p =>
        {
            foreach (var attribute in p.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, FileInputAttribute))
                {
                    foreach (var argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "MaxItems" && argument.Value.Value is int items && items >= 0)
                        {
                            return items;
                        }
                    }
                }
            }

            return -1;
        });
        return max >= 0 ? max : null;
    }

    /// <summary>Whether the type is <c>ApiJob&lt;T&gt;</c>.</summary>
    public bool IsJob(ITypeSymbol? type)
        => type is INamedTypeSymbol named && ApiJob is not null && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ApiJob);

    /// <summary>Whether <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, ITypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The generated client whose HTTP client <paramref name="builder"/> configures: the value of a generated
    /// <c>Add&lt;Client&gt;</c> or of <c>AddHttpClient&lt;TClient&gt;</c> for a generated client, directly, through
    /// further <c>IHttpClientBuilder</c> calls or through a local; null for any other builder.
    /// </summary>
    public INamedTypeSymbol? ClientRegisteredBy(IOperation? builder)
    {
        for (var depth = 0; depth < 16 && builder is not null; depth++)
        {
            builder = Flow.Strip(builder);
            switch (builder)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (GeneratedRegistration(method) is { } client)
                    {
                        return client;
                    }

                    if (method.Name == "AddHttpClient")
                    {
                        foreach (var argument in method.TypeArguments)
                        {
                            if (IsClient(argument))
                            {
                                return (INamedTypeSymbol)argument;
                            }
                        }

                        return null;
                    }

                    // Builder extensions return the builder they were given (AddHttpMessageHandler, ConfigureHttpClient...).
                    builder = method.IsExtensionMethod && IsHttpClientBuilder(method.ReturnType) && invocation.Arguments.Length > 0 && IsHttpClientBuilder(invocation.Arguments[0].Value.Type)
                        ? invocation.Arguments[0].Value
                        : null;
                    break;
                case ILocalReferenceOperation local:
                    builder = Flow.InitialValue(local);
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private bool IsHttpClientBuilder(ITypeSymbol? type) => HttpClientBuilder is not null && SymbolEqualityComparer.Default.Equals(type, HttpClientBuilder);

    /// <summary>
    /// The client a generated <c>Add&lt;Client&gt;(this IServiceCollection, ...)</c> registers: it is declared in
    /// <c>&lt;Client&gt;ServiceCollectionExtensions</c>, beside the <c>[OpenApiClient]</c> class it is named after.
    /// </summary>
    private INamedTypeSymbol? GeneratedRegistration(IMethodSymbol method)
    {
        if (!method.IsStatic || !method.IsExtensionMethod || method.Name.Length <= 3 || !method.Name.StartsWith("Add", StringComparison.Ordinal)
            || !IsHttpClientBuilder(method.ReturnType) || method.Parameters.Length == 0
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, ServiceCollection))
        {
            return null;
        }

        var clientName = method.Name.Substring(3);
        if (method.ContainingType.Name != clientName + "ServiceCollectionExtensions")
        {
            return null;
        }

        foreach (var type in method.ContainingNamespace.GetTypeMembers(clientName))
        {
            if (IsClientClass(type))
            {
                return type;
            }
        }

        return null;
    }
}
