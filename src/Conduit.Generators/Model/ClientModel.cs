using Conduit.Generators.Helpers;

namespace Conduit.Generators.Model;

// The pipeline's models. They must stay immutable with structural equality: the incremental driver
// compares them to decide whether anything downstream must run again. Strings, enums, numbers, bools
// and EquatableArray only: never a symbol, syntax node, compilation, SourceText, Location or Diagnostic.

/// <summary>A class marked [OpenApiClient], as the attribute step sees it.</summary>
internal sealed record ClientTarget(
    string Namespace,
    string ClassName,
    string Accessibility,
    string DocumentPath,
    string? ModelsNamespace,
    LocationInfo? AttributeLocation,
    DiagnosticInfo? Problem,
    EquatableArray<PolicyOverride> Overrides);

/// <summary>Everything the emitter needs for one client.</summary>
internal sealed record ClientModel(
    string Namespace,
    string ClassName,
    string Accessibility,
    string ModelsNamespace,
    string JsonContextName,
    string? Title,
    string? Description,
    string? DefaultServer,
    EquatableArray<OperationModel> Operations,
    EquatableArray<TypeModel> Types,
    EquatableArray<PolicyModel> Policies,
    EquatableArray<WebhookModel> Webhooks);

/// <summary>An OpenAPI 3.1 webhook: a request the service sends, described by its name and its JSON payload.</summary>
internal sealed record WebhookModel(string Name, string PropertyName, string? Summary, string? Description, TypeRef PayloadType);

/// <summary>The result of the model step: a client (null when the document cannot be used) and what to report.</summary>
internal sealed record ClientBuild(ClientModel? Client, EquatableArray<DiagnosticInfo> Diagnostics);
