using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// Works out for which HTTP statuses a Polly predicate can be true: a <c>ShouldHandle</c> lambda, a
/// <c>PredicateBuilder&lt;HttpResponseMessage&gt;</c> chain, or <c>HandleResult</c>'s lambda. It reads status
/// comparisons (<c>== HttpStatusCode.TooManyRequests</c>, <c>(int)r.StatusCode &gt;= 400</c>), patterns
/// (<c>is &gt;= 400 and &lt; 600</c>, <c>{ Result.StatusCode: ... }</c>), <c>IsSuccessStatusCode</c>,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, switch expressions, <c>if</c>s around returns and
/// Microsoft.Extensions.Http.Resilience's transient predicates.
/// </summary>
/// <remarks>
/// Each value is the set of statuses for which an expression can be true, or null when it cannot tell (a
/// call of a helper, say). Unknown parts are taken as possibly true, so <c>helper() &amp;&amp; code == 429</c>
/// can be true for 429, while <c>helper() || ...</c> and a predicate that is unknown as a whole are never
/// reported. An outcome with an exception has no response, so exception tests are false for every status.
/// </remarks>
internal sealed class StatusPredicate
{
    private const int MaxDepth = 32;

    private readonly ConduitSymbols _symbols;
    private int _depth;

    public StatusPredicate(ConduitSymbols symbols) => _symbols = symbols;

    /// <summary>The statuses for which a <c>ShouldHandle</c> value (or <c>HandleResult</c>'s lambda) can be true, or null when unknown.</summary>
    public StatusSet? OfPredicate(IOperation value)
    {
        if (++_depth > MaxDepth)
        {
            return null;
        }

        try
        {
            value = Flow.Strip(value);
            return value switch
            {
                IDelegateCreationOperation creation => OfPredicate(creation.Target),
                IAnonymousFunctionOperation function => Returns(function.Body),
                ILocalReferenceOperation local => Flow.InitialValue(local) is { } initial ? OfPredicate(initial) : null,
                _ when IsPredicateBuilder(value.Type) => OfPredicateBuilder(value),
                _ => null,
            };
        }
        finally
        {
            _depth--;
        }
    }

    private static StatusSet? And(StatusSet? a, StatusSet? b) => a is null ? b : b is null ? a : a.Intersect(b);

    private static StatusSet? Or(StatusSet? a, StatusSet? b) => a is null || b is null ? null : a.Union(b);

    private static StatusSet? Not(StatusSet? a) => a?.Complement();

    private static StatusSet? Compare(BinaryOperatorKind kind, int value) => kind switch
    {
        BinaryOperatorKind.Equals => StatusSet.Of(value),
        BinaryOperatorKind.NotEquals => StatusSet.Of(value).Complement(),
        BinaryOperatorKind.LessThan => StatusSet.Range(int.MinValue, value - 1),
        BinaryOperatorKind.LessThanOrEqual => StatusSet.Range(int.MinValue, value),
        BinaryOperatorKind.GreaterThan => StatusSet.Range(value + 1, int.MaxValue),
        BinaryOperatorKind.GreaterThanOrEqual => StatusSet.Range(value, int.MaxValue),
        _ => null,
    };

    private static BinaryOperatorKind Flip(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    private static int? Integer(IOperation operation)
        => Flow.Strip(operation).ConstantValue is { HasValue: true, Value: { } value and (int or long or short or byte or uint or ushort) } ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Whether the statement always leaves the function: a return or throw, or a block that ends with one.</summary>
    private static bool AlwaysLeaves(IOperation? operation) => operation switch
    {
        IReturnOperation or IThrowOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation block => block.Operations.Length > 0 && AlwaysLeaves(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };

    /// <summary>The returns of a function body, not of the functions inside it.</summary>
    private static IEnumerable<IReturnOperation> ReturnsOf(IOperation operation)
    {
        foreach (var child in operation.ChildOperations)
        {
            if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (child is IReturnOperation { Kind: OperationKind.Return } found)
            {
                yield return found;
            }

            foreach (var nested in ReturnsOf(child))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The union, over the function's returns, of where each is reached and can return true.</summary>
    private StatusSet? Returns(IBlockOperation body)
    {
        StatusSet result = StatusSet.Empty;
        foreach (var returned in ReturnsOf(body))
        {
            if (returned.ReturnedValue is null)
            {
                continue;
            }

            var reached = And(PathTo(returned, body), Value(returned.ReturnedValue));
            if (reached is null)
            {
                return null;
            }

            result = result.Union(reached);
        }

        return result;
    }

    /// <summary>The statuses for which control reaches <paramref name="operation"/>: the ifs around it, and the guard clauses before it.</summary>
    private StatusSet? PathTo(IOperation operation, IOperation body)
    {
        StatusSet? path = null;
        for (var node = operation; node != body && node.Parent is { } parent; node = parent)
        {
            if (parent is IConditionalOperation branch && node != branch.Condition)
            {
                var condition = Value(branch.Condition);
                path = And(path, node == branch.WhenTrue ? condition : Not(condition));
            }
            else if (parent is IBlockOperation block)
            {
                foreach (var statement in block.Operations)
                {
                    if (statement == node)
                    {
                        break;
                    }

                    if (statement is IConditionalOperation { WhenFalse: null } guard && AlwaysLeaves(guard.WhenTrue))
                    {
                        path = And(path, Not(Value(guard.Condition)));
                    }
                }
            }
        }

        return path;
    }

    /// <summary>The statuses for which a bool (or <c>ValueTask&lt;bool&gt;</c>, or <c>PredicateResult</c>) can be true.</summary>
    private StatusSet? Value(IOperation operation)
    {
        if (++_depth > MaxDepth)
        {
            return null;
        }

        try
        {
            operation = Flow.Strip(operation);
            if (operation.ConstantValue is { HasValue: true, Value: bool constant })
            {
                return constant ? StatusSet.All : StatusSet.Empty;
            }

            return operation switch
            {
                IBinaryOperation binary => Binary(binary),
                IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => Not(Value(not.Operand)),
                IIsPatternOperation test => Pattern(test.Value, test.Pattern),
                IIsTypeOperation test when IsException(test.ValueOperand.Type) => StatusSet.Empty,
                IPropertyReferenceOperation { Property.Name: "IsSuccessStatusCode" } => StatusSet.Range(200, 299),
                IConditionalOperation choice => Choice(Value(choice.Condition), choice.WhenTrue, choice.WhenFalse),
                ISwitchExpressionOperation switchExpression => Switch(switchExpression),
                IInvocationOperation invocation => Invocation(invocation),
                IObjectCreationOperation { Arguments.Length: 1 } creation when creation.Type?.Name == "ValueTask" => Value(creation.Arguments[0].Value),
                ILocalReferenceOperation local when local.Type?.SpecialType == SpecialType.System_Boolean => Flow.InitialValue(local) is { } initial ? Value(initial) : null,
                _ => null,
            };
        }
        finally
        {
            _depth--;
        }
    }

    private StatusSet? Choice(StatusSet? condition, IOperation whenTrue, IOperation? whenFalse)
    {
        var yes = Value(whenTrue) ?? StatusSet.All;
        var no = whenFalse is null ? StatusSet.Empty : Value(whenFalse) ?? StatusSet.All;
        return condition is null ? yes.Union(no) : condition.Intersect(yes).Union(condition.Complement().Intersect(no));
    }

    private StatusSet? Binary(IBinaryOperation binary)
    {
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And:
                return And(Value(binary.LeftOperand), Value(binary.RightOperand));
            case BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or:
                return Or(Value(binary.LeftOperand), Value(binary.RightOperand));
        }

        if (IsStatus(binary.LeftOperand) && Integer(binary.RightOperand) is { } right)
        {
            return Compare(binary.OperatorKind, right);
        }

        if (IsStatus(binary.RightOperand) && Integer(binary.LeftOperand) is { } left)
        {
            return Compare(Flip(binary.OperatorKind), left);
        }

        // response != null: any response at all; exception != null: no response.
        if (Flow.Strip(binary.RightOperand).ConstantValue is { HasValue: true, Value: null } && binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
        {
            var type = Flow.Strip(binary.LeftOperand).Type;
            var notNull = binary.OperatorKind == BinaryOperatorKind.NotEquals;
            return IsResponse(type) ? (notNull ? StatusSet.All : StatusSet.Empty)
                : IsException(type) ? (notNull ? StatusSet.Empty : StatusSet.All)
                : null;
        }

        return null;
    }

    private StatusSet? Invocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var owner = method.ContainingType;
        if (SymbolEqualityComparer.Default.Equals(owner, _symbols.PredicateResult))
        {
            return method.Name switch
            {
                "True" => StatusSet.All,
                "False" => StatusSet.Empty,
                _ => null,
            };
        }

        if (method.Name == "FromResult" && invocation.Arguments.Length == 1 && owner?.Name is "ValueTask" or "Task")
        {
            return Value(invocation.Arguments[0].Value);
        }

        // Microsoft.Extensions.Http.Resilience: 408, 429, every 5xx, and HttpRequestException or timeouts.
        if (owner is { Name: "HttpClientResiliencePredicates" or "HttpClientHedgingResiliencePredicates" } && owner.ContainingNamespace.ToDisplayString() == "Microsoft.Extensions.Http.Resilience")
        {
            return StatusSet.Transient;
        }

        return null;
    }

    /// <summary>A switch expression: each arm counts for what earlier arms without a guard left.</summary>
    private StatusSet? Switch(ISwitchExpressionOperation switchExpression)
    {
        var remaining = StatusSet.All;
        var result = StatusSet.Empty;
        foreach (var arm in switchExpression.Arms)
        {
            var matched = Pattern(switchExpression.Value, arm.Pattern);
            var value = Value(arm.Value) ?? StatusSet.All;
            if (matched is null)
            {
                if (!value.IsEmpty)
                {
                    return null;
                }

                continue;
            }

            var guard = arm.Guard is null ? StatusSet.All : Value(arm.Guard) ?? StatusSet.All;
            result = result.Union(matched.Intersect(remaining).Intersect(guard).Intersect(value));
            if (arm.Guard is null)
            {
                remaining = remaining.Except(matched);
            }
        }

        return result;
    }

    /// <summary>The statuses for which <paramref name="value"/> matches <paramref name="pattern"/>.</summary>
    private StatusSet? Pattern(IOperation value, IPatternOperation pattern)
        => IsStatus(value) ? StatusPattern(pattern)
            : IsException(Flow.Strip(value).Type) ? ExceptionPattern(pattern)
            : ObjectPattern(pattern, Flow.Strip(value).Type);

    /// <summary>A test of the outcome's exception: only "is null" leaves a response.</summary>
    private static StatusSet ExceptionPattern(IPatternOperation pattern)
        => pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } ? StatusSet.All : StatusSet.Empty;

    private static StatusSet? StatusPattern(IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation constant => Integer(constant.Value) is { } status ? StatusSet.Of(status) : StatusSet.Empty,
        IRelationalPatternOperation relational => Integer(relational.Value) is { } bound ? Compare(relational.OperatorKind, bound) : null,
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both => And(StatusPattern(both.LeftPattern), StatusPattern(both.RightPattern)),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => Or(StatusPattern(either.LeftPattern), StatusPattern(either.RightPattern)),
        INegatedPatternOperation negated => Not(StatusPattern(negated.Pattern)),
        IDiscardPatternOperation or IDeclarationPatternOperation or ITypePatternOperation or IRecursivePatternOperation => StatusSet.All,
        _ => null,
    };

    /// <summary>A pattern on an outcome, a response or anything else: only the members that say something about the status count.</summary>
    private StatusSet? ObjectPattern(IPatternOperation pattern, ITypeSymbol? type)
    {
        switch (pattern)
        {
            case IRecursivePatternOperation recursive:
                StatusSet? result = IsResponseOrOutcome(type) ? StatusSet.All : null;
                foreach (var sub in recursive.PropertySubpatterns)
                {
                    result = And(result, Member(sub));
                }

                return result;
            case INegatedPatternOperation negated:
                return Not(ObjectPattern(negated.Pattern, type));
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both:
                return And(ObjectPattern(both.LeftPattern, type), ObjectPattern(both.RightPattern, type));
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either:
                return Or(ObjectPattern(either.LeftPattern, type), ObjectPattern(either.RightPattern, type));
            case IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } when IsResponse(type):
                return StatusSet.Empty;
            case IDiscardPatternOperation or IDeclarationPatternOperation or ITypePatternOperation when IsResponseOrOutcome(type):
                return StatusSet.All;
            default:
                return null;
        }
    }

    /// <summary>A property subpattern: <c>StatusCode: ...</c>, <c>Result: ...</c>, <c>Exception: ...</c> or <c>IsSuccessStatusCode: ...</c>.</summary>
    private StatusSet? Member(IPropertySubpatternOperation sub)
    {
        var type = sub.Member.Type;
        if (IsStatusType(type))
        {
            return StatusPattern(sub.Pattern);
        }

        if (IsResponse(type))
        {
            return ObjectPattern(sub.Pattern, type);
        }

        if (IsException(type))
        {
            // Exception: null leaves the response (and says nothing of its status); any other test means there is none.
            return ExceptionPattern(sub.Pattern).IsEmpty ? StatusSet.Empty : null;
        }

        if (sub.Member is IPropertyReferenceOperation { Property.Name: "IsSuccessStatusCode" } && sub.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool success } })
        {
            return success ? StatusSet.Range(200, 299) : StatusSet.Range(200, 299).Complement();
        }

        return null;
    }

    private StatusSet? OfPredicateBuilder(IOperation builder)
    {
        var result = StatusSet.Empty;
        for (var current = Flow.Strip(builder); ; current = Flow.Strip(current))
        {
            switch (current)
            {
                case IInvocationOperation invocation when IsPredicateBuilder(invocation.TargetMethod.ContainingType) && invocation.Instance is not null:
                    if (invocation.TargetMethod.Name == "HandleResult" && invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.Type?.TypeKind == TypeKind.Delegate)
                    {
                        if (OfPredicate(invocation.Arguments[0].Value) is not { } handled)
                        {
                            return null;
                        }

                        result = result.Union(handled);
                    }

                    current = invocation.Instance;
                    break;
                case IObjectCreationOperation:
                    return result;
                case ILocalReferenceOperation local when Flow.InitialValue(local) is { } initial:
                    current = initial;
                    break;
                default:
                    return null;
            }
        }
    }

    private bool IsPredicateBuilder(ITypeSymbol? type)
        => type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _symbols.PredicateBuilder);

    private bool IsStatusType(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type is not null && SymbolEqualityComparer.Default.Equals(type, _symbols.HttpStatusCode);
    }

    /// <summary>Whether the value is an HTTP status: of type <c>HttpStatusCode</c> (cast to int or not), or a local holding one.</summary>
    private bool IsStatus(IOperation operation)
    {
        operation = Flow.Strip(operation);
        return IsStatusType(operation.Type)
            || (operation is ILocalReferenceOperation local && _depth < MaxDepth && Flow.InitialValue(local) is { } initial && IsStatus(initial));
    }

    private static bool IsException(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Exception" && current.ContainingNamespace?.ToDisplayString() == "System")
            {
                return true;
            }
        }

        return false;
    }

    private bool IsResponse(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type, _symbols.HttpResponseMessage);

    private bool IsResponseOrOutcome(ITypeSymbol? type)
        => IsResponse(type) || (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _symbols.Outcome));
}
