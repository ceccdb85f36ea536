using Conduit.Generators.Helpers;

namespace Conduit.Generators.Model;

internal enum ParameterLocation
{
    Path,
    Query,
    Header,
    Cookie,
}

internal enum ParameterShape
{
    Scalar,
    List,
    Object,
}

internal enum BodyKind
{
    None,
    Json,
    Form,
    Text,
    Binary,
    Raw,
}

internal enum ResultKind
{
    None,
    Json,
    Text,
    Stream,
}

internal sealed record OperationModel(
    string MethodName,
    string FieldName,
    string OperationId,
    string HttpMethod,
    string Path,
    string? Server,
    string Group,
    string? Summary,
    string? Description,
    bool Deprecated,
    EquatableArray<ParameterModel> Parameters,
    BodyModel? Body,
    ResultModel Result,
    EquatableArray<ErrorModel> Errors,
    int PolicyIndex,
    EquatableArray<string> Tags,
    JobModel? Job,
    PolicyModel DocumentPolicy);

internal sealed record ParameterModel(
    string Name,
    string WireName,
    ParameterLocation Location,
    ParameterShape Shape,
    string Style,
    bool Explode,
    bool AllowReserved,
    bool Required,
    TypeRef Type,
    string? Description,
    bool Deprecated);

internal sealed record BodyModel(BodyKind Kind, string ParameterName, string ContentType, TypeRef? Type, bool Required, string? Description);

internal sealed record ResultModel(ResultKind Kind, TypeRef? Type, bool MayBeEmpty, string? Description);

/// <summary>A documented error answer: Status is the code, 1-5 for a class (4XX), or 0 for default.</summary>
internal sealed record ErrorModel(int Status, TypeRef? Type, string? Hint);

internal sealed record PolicyModel(RetryModel? Retry, EquatableArray<RateLimitModel> RateLimits, bool MultipartAllowed, int? MaxFileInputs);

internal sealed record RetryModel(
    EquatableArray<int> Statuses,
    EquatableArray<int> StatusClasses,
    int MaxRetries,
    string Backoff,
    double BaseDelaySeconds,
    double MaxDelaySeconds,
    bool Jitter,
    bool RespectRetryAfter);

/// <summary>A rate limit: Limit is the client's ceiling when an attribute set one (null: the soft limit).</summary>
internal sealed record RateLimitModel(string Group, string? Method, double WindowSeconds, int Soft, int Hard, int? Limit = null);

/// <summary>An operation that starts a job (x-job): how to find the job and read its status.</summary>
internal sealed record JobModel(string StatusField, string StatusParameter, string Shape, string? JobIdPointer, string? StatusUrlPointer, TypeRef StatusType);

/// <summary>A [RetryPolicy] or [RateLimit] on the client class; null members were not set.</summary>
internal sealed record PolicyOverride(
    bool IsRetry,
    string? Operation,
    string? Tag,
    string? HttpMethod,
    string? Group,
    int? MaxRetries,
    EquatableArray<int>? Statuses,
    string? Backoff,
    double? BaseDelay,
    double? MaxDelay,
    bool? Jitter,
    bool? RespectRetryAfter,
    int? Limit,
    double? WindowSeconds,
    LocationInfo? Location)
{
    /// <summary>How specific the selection is: an operation beats a tag beats a group beats a method beats the whole client.</summary>
    public int Rank => Operation is not null ? 4 : Tag is not null ? 3 : Group is not null ? 2 : HttpMethod is not null ? 1 : 0;

    /// <summary>How the attribute reads in source, for messages.</summary>
    public string Name => IsRetry ? "[RetryPolicy]" : "[RateLimit]";
}
