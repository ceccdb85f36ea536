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
    int PolicyIndex);

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

internal sealed record RateLimitModel(string Group, string? Method, double WindowSeconds, int Soft, int Hard);
