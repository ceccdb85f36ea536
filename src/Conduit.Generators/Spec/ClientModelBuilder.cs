using System;
using System.Collections.Immutable;
using System.Threading;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>Step 4 of the pipeline: a client target and the visible documents become a client model and its diagnostics.</summary>
internal static class ClientModelBuilder
{
    public static ClientBuild Build(ClientTarget target, ImmutableArray<ParsedDocument> documents, string projectDirectory, CancellationToken token)
    {
        var diagnostics = new DiagnosticBag();
        if (target.Problem is { } problem)
        {
            diagnostics.Add(problem);
            return new ClientBuild(null, diagnostics.ToArray());
        }

        var set = new DocumentSet(documents);
        var document = set.Find(projectDirectory, target.DocumentPath, out var notFound);
        if (document is null)
        {
            diagnostics.Add(Descriptors.DocumentNotFound, target.AttributeLocation, notFound!);
            return new ClientBuild(null, diagnostics.ToArray());
        }

        ReportTextProblems(document, diagnostics);
        if (document.Result.Root is null)
        {
            return new ClientBuild(null, diagnostics.ToArray());
        }

        ClientModel? client;
        try
        {
            client = OpenApiReader.Read(target, document, set, diagnostics, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug of ours must not crash the compiler (CS8785): say what happened, generate nothing.
            diagnostics.At(Descriptors.DocumentUnreadable, document, 0, 0, $"Conduit failed while reading this document ({e.GetType().Name}: {e.Message}); please report it with the document.");
            client = null;
        }

        foreach (var referenced in set.Referenced)
        {
            if (referenced != document)
            {
                ReportTextProblems(referenced, diagnostics);
            }
        }

        return new ClientBuild(client, diagnostics.ToArray());
    }

    private static void ReportTextProblems(ParsedDocument document, DiagnosticBag diagnostics)
    {
        foreach (var problem in document.Result.Problems)
        {
            var descriptor = problem.Severity == ProblemSeverity.Error ? Descriptors.DocumentUnreadable : Descriptors.SyntaxTolerated;
            diagnostics.At(descriptor, document, problem.Start, problem.Length, problem.Message);
        }
    }
}
