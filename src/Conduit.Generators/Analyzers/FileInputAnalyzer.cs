using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// CND3001: a request property marked <c>[FileInput(MaxItems = n)]</c> is given more than n files, counted
/// where the count is certain: a collection expression, an array or collection initializer, and a local
/// built from those and <c>Add</c>/<c>AddRange</c> calls before it is used.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FileInputAnalyzer : ConduitAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UsageDescriptors.TooManyFileInputs);

    private protected override void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols)
    {
        if (symbols.FileInputAttribute is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeAssignment(c, symbols), OperationKind.SimpleAssignment);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, ConduitSymbols symbols)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
            || property.Type.SpecialType == SpecialType.System_String
            || property.Type.TypeKind is not (TypeKind.Interface or TypeKind.Class or TypeKind.Array)
            || symbols.MaxFileInputs(property) is not { } max)
        {
            return;
        }

        var count = FileCount.Of(assignment.Value);
        if (count.AtLeast > max)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                UsageDescriptors.TooManyFileInputs,
                Flow.Strip(assignment.Value).Syntax.GetLocation(),
                property.ContainingType.Name + "." + property.Name,
                max,
                count.Exact ? count.AtLeast.ToString(System.Globalization.CultureInfo.InvariantCulture) : "at least " + count.AtLeast.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>How many elements a collection value has: at least <see cref="AtLeast"/>, exactly that many when <see cref="Exact"/>.</summary>
    private readonly record struct FileCount(int AtLeast, bool Exact)
    {
        private static readonly FileCount Unknown = new(0, false);

        public static FileCount Of(IOperation value, int depth = 0)
        {
            value = Flow.Strip(value);
            if (depth > 8)
            {
                return Unknown;
            }

            // Collection expressions have no operation of their own in Roslyn 4.8: count their syntax.
            if (value.Syntax is CollectionExpressionSyntax collection)
            {
                var total = new FileCount(0, true);
                foreach (var element in collection.Elements)
                {
                    total += element is SpreadElementSyntax spread && value.SemanticModel?.GetOperation(spread.Expression) is { } spreadValue
                        ? Of(spreadValue, depth + 1)
                        : element is ExpressionElementSyntax ? new FileCount(1, true) : Unknown;
                }

                return total;
            }

            return value switch
            {
                IArrayCreationOperation { Initializer: { } initializer } => new FileCount(initializer.ElementValues.Length, true),
                IObjectCreationOperation creation => OfCreation(creation, depth),
                ILocalReferenceOperation local => OfLocal(local, depth),
                _ => Unknown,
            };
        }

        public static FileCount operator +(FileCount a, FileCount b) => new(a.AtLeast + b.AtLeast, a.Exact && b.Exact);

        /// <summary><c>new List&lt;T&gt;(other) { a, b }</c>: what the constructor copies, then each <c>Add</c>.</summary>
        private static FileCount OfCreation(IObjectCreationOperation creation, int depth)
        {
            var total = creation.Arguments.Length switch
            {
                0 => new FileCount(0, true),
                1 when creation.Arguments[0].Value.Type?.SpecialType != SpecialType.System_Int32 => Of(creation.Arguments[0].Value, depth + 1),
                _ => Unknown,
            };
            if (creation.Initializer is { } initializer)
            {
                foreach (var element in initializer.Initializers)
                {
                    total += element is IInvocationOperation add ? OfAdd(add, depth) : Unknown;
                }
            }

            return total;
        }

        private static FileCount OfAdd(IInvocationOperation add, int depth) => add.TargetMethod.Name switch
        {
            "Add" when add.Arguments.Length == 1 => new FileCount(1, true),
            "AddRange" when add.Arguments.Length == 1 => Of(add.Arguments[0].Value, depth + 1),
            _ => Unknown,
        };

        /// <summary>
        /// A local: its initial value plus the <c>Add</c>/<c>AddRange</c> statements on it that run before the
        /// statement that reads it, in the block it is declared in. Unknown when it is assigned again, passed
        /// to a method (which might change it), or changed in any other way.
        /// </summary>
        private static FileCount OfLocal(ILocalReferenceOperation use, int depth)
        {
            if (Flow.InitialValue(use) is not { } initial)
            {
                return Unknown;
            }

            var total = Of(initial, depth + 1);
            var block = Container(initial.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>());
            var useStatement = use.Syntax.FirstAncestorOrSelf<StatementSyntax>();
            while (useStatement is not null && Container(useStatement) != block)
            {
                useStatement = useStatement.Parent?.FirstAncestorOrSelf<StatementSyntax>();
            }

            foreach (var reference in Flow.References(use.Local, use))
            {
                var parent = reference.Parent;
                while (parent is IConversionOperation)
                {
                    parent = parent.Parent;
                }

                if (parent is IArgumentOperation)
                {
                    // Handed to a method, which might remove elements: the count is no longer certain.
                    return Unknown;
                }

                // Reading its count or elements, spreading, enumerating or storing it leaves the count as it is.
                if (reference == use || parent is not IInvocationOperation call || call.Instance != reference)
                {
                    continue;
                }

                var statement = call.Syntax.Parent as ExpressionStatementSyntax;
                var before = statement is not null && useStatement is not null && block is not null && Container(statement) == block && statement.SpanStart < useStatement.SpanStart;
                if (call.TargetMethod.Name is "Add" or "AddRange")
                {
                    if (before)
                    {
                        total += OfAdd(call, depth);
                    }
                }
                else if (!IsReadOnly(call.TargetMethod.Name))
                {
                    return Unknown;
                }
            }

            return total;
        }

        /// <summary>The block (or, for top-level statements, the file) whose statement list holds the statement.</summary>
        private static SyntaxNode? Container(StatementSyntax? statement)
            => statement?.Parent is GlobalStatementSyntax global ? global.Parent : statement?.Parent;

        private static bool IsReadOnly(string method) => method is "Contains" or "IndexOf" or "ToArray" or "GetEnumerator" or "CopyTo" or "ToString" or "Exists" or "Find" or "TrueForAll";
    }
}
