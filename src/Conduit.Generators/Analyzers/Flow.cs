using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// The little data flow the analyzers need, within one method body: what a local was given when declared
/// (unless it is assigned again), and where else it is used. Deliberately simple: a value that goes
/// anywhere the analyzers cannot follow counts as unknown, and unknown values are never reported.
/// </summary>
internal static class Flow
{
    /// <summary>The value under any conversions, such as an implicit conversion to an interface or a cast.</summary>
    public static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The outermost operation of the body <paramref name="operation"/> is in.</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The value a local was declared with, or null when it has none or is assigned (or passed by reference) anywhere else.</summary>
    public static IOperation? InitialValue(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        IOperation? value = null;
        foreach (var operation in Root(reference).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    value = declarator.GetVariableInitializer()?.Value;
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
                case IArgumentOperation { Value: ILocalReferenceOperation argument, Parameter: { RefKind: not RefKind.None and not RefKind.In } }
                    when SymbolEqualityComparer.Default.Equals(argument.Local, local):
                    return null;
            }
        }

        return value;
    }

    /// <summary>Every read of <paramref name="local"/> in the body <paramref name="anywhere"/> belongs to.</summary>
    public static IEnumerable<ILocalReferenceOperation> References(ILocalSymbol local, IOperation anywhere)
    {
        foreach (var operation in Root(anywhere).Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !reference.IsDeclaration)
            {
                yield return reference;
            }
        }
    }

    /// <summary>The nearest ancestor of type <typeparamref name="T"/>, not looking past the function (method, local function or lambda) the operation is in.</summary>
    public static T? Enclosing<T>(IOperation operation)
        where T : class, IOperation
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }
}
