using System.Collections.Immutable;
using Conduit.Generators.Emit;
using Conduit.Generators.Model;
using Conduit.Generators.Spec;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators;

/// <summary>
/// Turns each class marked <c>[OpenApiClient("...")]</c> into a typed client for the operations of the
/// OpenAPI document it names. The work lives in partial files named after their concern
/// (<c>ClientGenerator.Targets.cs</c>), in <see cref="ClientModelBuilder"/> and in <see cref="ClientEmitter"/>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ClientGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a client class.</summary>
    public const string AttributeName = "Conduit.OpenApiClientAttribute";

    /// <summary>The attribute that overrides the document's retry rule.</summary>
    public const string RetryPolicyAttributeName = "Conduit.RetryPolicyAttribute";

    /// <summary>The attribute that sets a rate limit's ceiling.</summary>
    public const string RateLimitAttributeName = "Conduit.RateLimitAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Each [OpenApiClient] class: namespace, name, accessibility and the document it names.
        //    Editing unrelated code stops here: the target is equal, so nothing after it runs.
        var targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeName, IsCandidateClass, ReadTarget)
            .WithTrackingName(TrackingNames.Clients);

        // 2. The project directory, against which document paths are resolved.
        var projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(ReadProjectDirectory)
            .WithTrackingName(TrackingNames.ProjectDirectory);

        // 3. Each JSON or YAML AdditionalFiles item, parsed once per edit of that file only.
        var documents = context.AdditionalTextsProvider
            .Where(ParsedDocument.IsCandidate)
            .Select(ParsedDocument.Read)
            .WithTrackingName(TrackingNames.Documents)
            .Collect();

        // 4. Each client's model: its document resolved (with the documents it references), read and
        //    checked; problems become diagnostics at the document's own line and column.
        var builds = targets
            .Combine(documents)
            .Combine(projectDirectory)
            .Select(static (input, token) => ClientModelBuilder.Build(input.Left.Left, input.Left.Right, input.Right, token))
            .WithTrackingName(TrackingNames.Models);

        // 5. The C# files that declare client classes, so that a diagnostic at an attribute is reported in
        //    source, where code fixes, #pragma and .editorconfig reach it. Editing another file keeps it cached.
        var clientFiles = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeName, IsCandidateClass, static (target, _) => target.TargetNode.SyntaxTree)
            .Collect();

        // 6. Diagnostics and sources are separate outputs, so a change in one does not redo the other.
        context.RegisterSourceOutput(builds.Select(static (build, _) => build.Diagnostics).Combine(clientFiles), ReportDiagnostics);
        context.RegisterSourceOutput(
            builds.Select(static (build, _) => build.Client).WithTrackingName(TrackingNames.Emit),
            static (output, client) => ClientEmitter.Emit(output, client));
    }

    private static void ReportDiagnostics(SourceProductionContext context, (Helpers.EquatableArray<DiagnosticInfo> Diagnostics, ImmutableArray<SyntaxTree> ClientFiles) input)
    {
        foreach (var diagnostic in input.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic(input.ClientFiles));
        }
    }
}
