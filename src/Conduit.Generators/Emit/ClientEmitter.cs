using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Conduit.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Generators.Emit;

/// <summary>
/// Step 6: writes a client's sources. One file for the client's core, one per operation group (the
/// document's first tag), one per model, the JSON context and the DI registration; shared logic lives
/// in the Conduit runtime library, not in these files.
/// </summary>
internal static partial class ClientEmitter
{
    public static void Emit(SourceProductionContext context, ClientModel? client)
    {
        if (client is null)
        {
            return;
        }

        // Everything is written before anything is added: a failure leaves no half a client behind.
        List<(string HintName, string Text)> sources;
        try
        {
            sources = EmitAll(client, context.CancellationToken).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenerationFailed, Location.None, client.ClassName, e.GetType().Name + ": " + e.Message));
            return;
        }

        foreach (var (hintName, text) in sources)
        {
            context.AddSource(hintName, SourceText.From(text, Encoding.UTF8));
        }
    }

    /// <summary>Every source of a client, by hint name, in a deterministic order.</summary>
    public static IEnumerable<(string HintName, string Text)> EmitAll(ClientModel client, CancellationToken cancellationToken = default)
    {
        var names = new TypeNames(client);
        var writer = new SourceWriter();
        var prefix = (client.Namespace.Length > 0 ? client.Namespace + "." : string.Empty) + client.ClassName;
        yield return (prefix + ".g.cs", EmitCore(writer, client, names));
        foreach (var group in client.Operations.GroupBy(o => o.Group, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (prefix + ".Operations." + group.Key + ".g.cs", EmitGroup(writer, client, names, group.ToList()));
        }

        yield return (prefix + ".DependencyInjection.g.cs", EmitRegistration(writer, client));
        yield return (client.ModelsNamespace + "." + client.JsonContextName + ".g.cs", EmitJsonContext(writer, client, names));
        foreach (var file in client.Types.GroupBy(ModelEmitter.FileKey).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (client.ModelsNamespace + "." + file.Key + ".g.cs", ModelEmitter.Emit(writer, client, file.ToList(), names));
        }
    }

    private static string Interface(ClientModel client) => "I" + client.ClassName;

    private static string Qualified(ClientModel client, string name) => "global::" + (client.Namespace.Length > 0 ? client.Namespace + "." : string.Empty) + name;

    /// <summary>Declares the client's file-scoped namespace (nothing for the global namespace).</summary>
    private static void WriteNamespace(SourceWriter writer, ClientModel client)
    {
        if (client.Namespace.Length > 0)
        {
            writer.Line("namespace " + client.Namespace + ";");
            writer.Line();
        }
    }

    private static string EmitCore(SourceWriter writer, ClientModel client, TypeNames names)
    {
        writer.Start();
        writer.Line(CSharp.Header);
        names.WriteAliases(writer);
        writer.Line();
        WriteNamespace(writer, client);
        var title = client.Title ?? client.ClassName;
        CSharp.Doc(writer, "summary", $"The operations of {title}, for mocking and dependency injection.");
        using (writer.Open($"{client.Accessibility} partial interface {Interface(client)}"))
        {
            writer.Line("/// <summary>The HTTP client requests are sent with.</summary>");
            writer.Line("global::System.Net.Http.HttpClient HttpClient { get; }");
        }

        writer.Line();
        CSharp.Doc(writer, "summary", $"A typed client for {title}.");
        CSharp.Doc(writer, "remarks", client.Description);
        using (writer.Open($"partial class {client.ClassName} : {Qualified(client, Interface(client))}"))
        {
            writer.Line("private readonly global::Conduit.Http.ApiConnection _connection;");
            writer.Line();
            writer.Line("/// <summary>Creates the client over <paramref name=\"httpClient\"/>.</summary>");
            writer.Line("/// <param name=\"httpClient\">Sends the requests. When its <see cref=\"global::System.Net.Http.HttpClient.BaseAddress\"/> is set, every operation goes there; otherwise each goes to the server the document names for it.</param>");
            writer.Line("/// <param name=\"options\">How the document's rules apply: the clock, rate-limit sharing, telemetry, job polling. <see cref=\"global::Conduit.ConduitClientOptions.Default\"/> when null.</param>");
            writer.Line($"public {client.ClassName}(global::System.Net.Http.HttpClient httpClient, global::Conduit.ConduitClientOptions? options = null)");
            writer.Line($"    => _connection = new global::Conduit.Http.ApiConnection(httpClient, {CSharp.Literal(client.DefaultServer)}, options, {CSharp.Literal(client.ClassName)});");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line("public global::System.Net.Http.HttpClient HttpClient => _connection.HttpClient;");
            writer.Line();
            EmitOperations(writer, client, names);
            EmitWebhooks(writer, client, names);
        }

        return writer.ToString();
    }

    /// <summary>One descriptor per webhook (OpenAPI 3.1): its name and its payload's converter. Nothing for a document without webhooks.</summary>
    private static void EmitWebhooks(SourceWriter writer, ClientModel client, TypeNames names)
    {
        if (client.Webhooks.Count == 0)
        {
            return;
        }

        writer.Line();
        writer.Line("/// <summary>The document's webhooks: requests the service sends, with their names and payload converters, for a receiver.</summary>");
        using (writer.Open("public static class Webhooks"))
        {
            for (var i = 0; i < client.Webhooks.Count; i++)
            {
                var webhook = client.Webhooks[i];
                if (i > 0)
                {
                    writer.Line();
                }

                CSharp.Doc(writer, "summary", webhook.Summary ?? webhook.Description ?? $"The '{webhook.Name}' webhook.");
                if (webhook.Summary is not null)
                {
                    CSharp.Doc(writer, "remarks", webhook.Description);
                }

                writer.Line($"public static readonly global::Conduit.Http.WebhookInfo<{names.Of(webhook.PayloadType)}> {webhook.PropertyName} = new({CSharp.Literal(webhook.Name)}, {names.Converter(webhook.PayloadType)});");
            }
        }
    }

    private static string EmitRegistration(SourceWriter writer, ClientModel client)
    {
        writer.Start();
        writer.Line(CSharp.Header);
        WriteNamespace(writer, client);
        var self = Qualified(client, client.ClassName);
        var name = Qualified(client, client.ClassName).Substring("global::".Length);
        writer.Line($"/// <summary>Registers <see cref=\"{self}\"/> with dependency injection.</summary>");
        using (writer.Open($"{client.Accessibility} static partial class {client.ClassName}ServiceCollectionExtensions"))
        {
            writer.Line($"/// <summary>");
            writer.Line($"/// Registers <see cref=\"{Qualified(client, Interface(client))}\"/> and <see cref=\"{self}\"/> as typed clients of");
            writer.Line("/// <see cref=\"global::System.Net.Http.IHttpClientFactory\"/>. Add handlers, resilience or credentials to the returned builder.");
            writer.Line("/// </summary>");
            writer.Line("/// <param name=\"services\">The services.</param>");
            writer.Line("/// <param name=\"configureClient\">Configures the HTTP client, for instance its base address.</param>");
            writer.Line("/// <param name=\"options\">How the document's rules apply; when null, a <see cref=\"global::Conduit.ConduitClientOptions\"/> registered in the container, else options built once from its <see cref=\"global::System.TimeProvider\"/> and logger factory.</param>");
            writer.Line("/// <returns>The builder of the named HTTP client.</returns>");
            using (writer.Open($"public static global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder Add{client.ClassName}(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services, global::System.Action<global::System.Net.Http.HttpClient>? configureClient = null, global::Conduit.ConduitClientOptions? options = null)"))
            {
                writer.Line("global::Conduit.ConduitServices.AddOptions(services);");
                writer.Line($"var builder = configureClient is null");
                writer.Line($"    ? global::Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions.AddHttpClient(services, {CSharp.Literal(name)})");
                writer.Line($"    : global::Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions.AddHttpClient(services, {CSharp.Literal(name)}, configureClient);");
                writer.Line($"global::Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions.AddTypedClient<{self}>(builder, (httpClient, provider) => new {self}(httpClient, options ?? global::Conduit.ConduitServices.Options(provider)));");
                writer.Line($"global::Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions.AddTypedClient<{Qualified(client, Interface(client))}>(builder, (httpClient, provider) => new {self}(httpClient, options ?? global::Conduit.ConduitServices.Options(provider)));");
                writer.Line("return builder;");
            }
        }

        return writer.ToString();
    }

    private static string EmitJsonContext(SourceWriter writer, ClientModel client, TypeNames names)
    {
        writer.Start();
        writer.Line(CSharp.Header);
        names.WriteAliases(writer);
        writer.Line();
        writer.Line("namespace " + client.ModelsNamespace + ";");
        writer.Line();
        var self = names.Model(client.JsonContextName);
        writer.Line($"/// <summary>System.Text.Json metadata for the models of <see cref=\"{Qualified(client, client.ClassName)}\"/>, built without reflection.</summary>");
        using (writer.Open($"{client.Accessibility} sealed partial class {client.JsonContextName} : global::Conduit.Json.ConduitJsonContext"))
        {
            using (writer.Open("private static readonly global::System.Collections.Generic.Dictionary<global::System.Type, global::Conduit.Json.IConduitConverter> Converters = new()", "};"))
            {
                foreach (var type in client.Types)
                {
                    var converter = type.Kind == TypeModelKind.Enum
                        ? $"global::Conduit.Json.StringEnumConverter<{names.Model(type.Name)}>.Instance"
                        : names.Model(type.Name) + ".JsonConverter.Instance";
                    writer.Line($"[typeof({names.Model(type.Name)})] = {converter},");
                }
            }

            writer.Line();
            writer.Line("/// <summary>Creates the context, bound to <paramref name=\"options\"/> (or to new options when null).</summary>");
            writer.Line("/// <param name=\"options\">The options to bind.</param>");
            writer.Line($"public {client.JsonContextName}(global::System.Text.Json.JsonSerializerOptions? options)");
            writer.Line("    : base(options)");
            writer.Line("{");
            writer.Line("}");
            writer.Line();
            writer.Line("/// <summary>A shared instance with default options.</summary>");
            writer.Line($"public static {self} Default {{ get; }} = new(null);");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line("protected override global::Conduit.Json.IConduitConverter? FindConverter(global::System.Type type)");
            writer.Line("    => Converters.TryGetValue(type, out var converter) ? converter : null;");
        }
        return writer.ToString();
    }
}
