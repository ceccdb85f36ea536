using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Conduit.Http;
using Conduit.Policies;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Infrastructure;

/// <summary>
/// A client the generator wrote, compiled and loaded, so tests read its operations' policies as the
/// runtime does (<c>Client.Operations.X.Policy</c>) rather than the generated text.
/// </summary>
internal sealed class GeneratedClient
{
    private readonly Lazy<Assembly> _assembly;

    public GeneratedClient(GenerationResult result, string clientType)
    {
        Result = result;
        ClientType = clientType;
        _assembly = new Lazy<Assembly>(() => Load(result));
    }

    public GenerationResult Result { get; }

    /// <summary>The client's full metadata name, such as <c>App.StudioClient</c>.</summary>
    public string ClientType { get; }

    public Assembly Assembly => _assembly.Value;

    /// <summary><c>Client.Operations.{field}</c>.</summary>
    public OperationInfo Operation(string field)
    {
        var operations = Assembly.GetType(ClientType + "+Operations", throwOnError: true)!;
        var member = operations.GetField(field, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{ClientType}.Operations has no '{field}'; it has {string.Join(", ", operations.GetFields().Select(f => f.Name))}.");
        return (OperationInfo)member.GetValue(null)!;
    }

    /// <summary><c>Client.Operations.{field}.Policy</c>.</summary>
    public OperationPolicy Policy(string field) => Operation(field).Policy;

    /// <summary>Compiles what the generator wrote (with whatever else the compilation holds) and loads it.</summary>
    public static Assembly Load(GenerationResult result)
    {
        using var image = new MemoryStream();
        var emitted = result.Output.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray());
    }
}
