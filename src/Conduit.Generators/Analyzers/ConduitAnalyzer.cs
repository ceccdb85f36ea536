using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// What Conduit's usage analyzers share: they skip generated code, run concurrently, and look Conduit's
/// types up once per compilation, doing nothing at all in a compilation that does not reference Conduit.
/// </summary>
public abstract class ConduitAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (ConduitSymbols.Create(start.Compilation) is { } symbols)
            {
                Register(start, symbols);
            }
        });
    }

    /// <summary>Registers the analyzer's actions for a compilation that references Conduit.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols);
}
