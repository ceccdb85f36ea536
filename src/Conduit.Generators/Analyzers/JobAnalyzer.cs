using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// CND3007, CND3008 and CND3009: the jobs generated operations start (<c>[OperationRules(StartsJob = true)]</c>,
/// returning <c>ApiJob&lt;T&gt;</c>). A job handle that is discarded or kept but never followed; a blocking
/// <c>.Result</c>, <c>.Wait()</c> or <c>.GetAwaiter().GetResult()</c> on starting or waiting for a job; and
/// <c>GetStatusAsync</c> called in a loop instead of <c>WaitForCompletionAsync</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JobAnalyzer : ConduitAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        UsageDescriptors.JobNotFollowed,
        UsageDescriptors.BlockingOnJob,
        UsageDescriptors.JobPolledInLoop);

    private protected override void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols)
    {
        if (symbols.ApiJob is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeResult(c, symbols), OperationKind.PropertyReference);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConduitSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Wait" when invocation.Instance is { } task && WhatBlocks(task, symbols) is { } what:
                context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.BlockingOnJob, invocation.Syntax.GetLocation(), ".Wait()", what));
                return;
            case "GetResult" when invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } task } && WhatBlocks(task, symbols) is { } what:
                context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.BlockingOnJob, invocation.Syntax.GetLocation(), ".GetAwaiter().GetResult()", what));
                return;
            case "GetStatusAsync" when symbols.IsJob(method.ContainingType) && Flow.Enclosing<ILoopOperation>(invocation) is { LoopKind: not LoopKind.ForEach }:
                context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.JobPolledInLoop, invocation.Syntax.GetLocation()));
                return;
        }

        if (symbols.RulesOf(method) is { StartsJob: true } rules && NotFollowed(invocation, symbols) is { } how)
        {
            context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.JobNotFollowed, invocation.Syntax.GetLocation(), "'" + rules.OperationId + "'", how));
        }
    }

    private static void AnalyzeResult(OperationAnalysisContext context, ConduitSymbols symbols)
    {
        var property = (IPropertyReferenceOperation)context.Operation;
        if (property.Property.Name == "Result" && property.Instance is { } task && WhatBlocks(task, symbols) is { } what)
        {
            context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.BlockingOnJob, property.Syntax.GetLocation(), ".Result", what));
        }
    }

    /// <summary>What a task does if it starts a job or waits for one (for the message), else null. Looks through ConfigureAwait and locals.</summary>
    private static string? WhatBlocks(IOperation task, ConduitSymbols symbols)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            task = Flow.Strip(task);
            switch (task)
            {
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured }:
                    task = configured;
                    continue;
                case ILocalReferenceOperation local when Flow.InitialValue(local) is { } initial:
                    task = initial;
                    continue;
                case IInvocationOperation call when symbols.RulesOf(call.TargetMethod) is { StartsJob: true } rules:
                    return "starting the job of '" + rules.OperationId + "'";
                case IInvocationOperation call when symbols.IsJob(call.TargetMethod.ContainingType):
                    return call.TargetMethod.Name == "GetStatusAsync" ? "reading the job's status" : "the job";
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>How a started job is left unfollowed ("discarded", "kept in 'job' but ..."), or null when something follows it.</summary>
    private static string? NotFollowed(IInvocationOperation start, ConduitSymbols symbols)
    {
        var parent = Up(start);
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured && configured.Instance is { } instance && Flow.Strip(instance) == start)
        {
            parent = Up(configured);
        }

        var awaited = parent is IAwaitOperation;
        if (awaited)
        {
            parent = Up(parent!);
        }

        switch (parent)
        {
            case IExpressionStatementOperation:
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return "discarded";
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when awaited:
                return Followed(declarator.Symbol, declarator, symbols) ? null : "kept in '" + declarator.Symbol.Name + "' but never waited for, passed on or stored";
            default:
                return null;
        }
    }

    /// <summary>The parent, above any conversions.</summary>
    private static IOperation? Up(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>
    /// Whether a local job handle is followed: waited for or read with <c>GetStatusAsync</c>; passed to a
    /// method (logging aside), returned or stored; or its <c>JobId</c> or <c>StatusUrl</c> passed on, returned
    /// or stored (to match the job's I/O Events notification, say). Logging it or reading its other
    /// properties is not following it.
    /// </summary>
    private static bool Followed(ILocalSymbol job, IOperation anywhere, ConduitSymbols symbols)
    {
        foreach (var reference in Flow.References(job, anywhere))
        {
            switch (Up(reference))
            {
                case IInvocationOperation call when call.Instance is not null && Flow.Strip(call.Instance) == reference:
                    if (call.TargetMethod.Name is "WaitForCompletionAsync" or "GetStatusAsync")
                    {
                        return true;
                    }

                    break;
                case IPropertyReferenceOperation property:
                    if (property.Property.Name is "JobId" or "StatusUrl" && Escapes(property))
                    {
                        return true;
                    }

                    break;
                case IInterpolationOperation:
                    break;
                case not null when LoggedOnly(reference):
                    break;
                default:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether a value leaves the method or is kept: passed to a method that does not only log it, returned, assigned or put in a collection.</summary>
    private static bool Escapes(IOperation value) => !LoggedOnly(value) && Up(value) switch
    {
        IArgumentOperation or IReturnOperation or IVariableInitializerOperation or IArrayInitializerOperation => true,
        ISimpleAssignmentOperation assignment => assignment.Value == value || Flow.Strip(assignment.Value) == value,
        _ => false,
    };

    /// <summary>Whether the value is an argument of a logging call, directly or in its <c>params</c> array (<c>logger.LogInformation("{Id}", id)</c>).</summary>
    private static bool LoggedOnly(IOperation value)
    {
        var parent = Up(value);
        if (parent is IArrayInitializerOperation { Parent: IArrayCreationOperation { IsImplicit: true } array })
        {
            parent = Up(array);
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation call } && IsLogging(call.TargetMethod);
    }

    /// <summary>Console, Debug, Trace, TextWriter and Microsoft.Extensions.Logging: writing a value down is not following it.</summary>
    private static bool IsLogging(IMethodSymbol method)
    {
        var owner = method.ContainingType;
        var ns = owner?.ContainingNamespace?.ToDisplayString();
        return owner is not null && ((ns == "System" && owner.Name == "Console")
            || (ns == "System.Diagnostics" && owner.Name is "Debug" or "Trace")
            || (ns == "System.IO" && owner.Name == "TextWriter")
            || ns == "Microsoft.Extensions.Logging");
    }
}
