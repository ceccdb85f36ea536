using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// The diagnostics Conduit's analyzers report about code that uses a generated client (CND3xxx, category
/// <c>Conduit.Usage</c>). They are ordinary analyzer diagnostics in C# source, so <c>.editorconfig</c>,
/// <c>#pragma</c> and <c>[SuppressMessage]</c> reach them. Each ID has a page under docs/diagnostics/.
/// </summary>
internal static class UsageDescriptors
{
    public const string Category = "Conduit.Usage";

    /// <summary>Names of the properties a diagnostic carries for its code fix.</summary>
    public static class Properties
    {
        /// <summary>The value the fix writes: a number, or a list of statuses separated by commas.</summary>
        public const string Value = nameof(Value);
    }

    public static readonly DiagnosticDescriptor TooManyFileInputs = Descriptors.Create(
        "CND3001",
        "More input files than one request may carry",
        "'{0}' carries at most {1} input file(s) per request ([FileInput(MaxItems = {1})]), but {2} are given here; send one request per input file",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor RetryPolicyRetriesClientError = Descriptors.Create(
        "CND3002",
        "[RetryPolicy] retries a client error (4xx)",
        "[RetryPolicy] on '{0}' retries {1}: the service allows retrying only 5xx, and a 429 is answered by waiting for its Retry-After, which the client's rate limiter does; remove the 4xx statuses",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor RetryStrategyRetriesClientError = Descriptors.Create(
        "CND3003",
        "Retry strategy on a generated client retries a client error (4xx)",
        "This retry strategy handles {0} on {1}: the service allows retrying only 5xx, and Conduit already retries what the document allows; handle 5xx only",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor StandardResilienceHandler = Descriptors.Create(
        "CND3004",
        "Standard resilience handler on a generated client",
        "{0}() on the HTTP client of '{1}' retries 408, 429 and every method (POST included) on top of Conduit's retry and rate limiter, which already apply the document's rules; remove it",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor MultipartForbidden = Descriptors.Create(
        "CND3005",
        "Multipart body sent to an API that accepts none",
        "A multipart body is sent {0}, but the service accepts no multipart transfer (x-multipart: false); give the service the file's URL instead",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor RetryPolicyOutsideRules = Descriptors.Create(
        "CND3006",
        "[RetryPolicy] outside the service's retry rules",
        "[RetryPolicy] on '{0}' sets {1} = {2} for {3}, but the service allows {4}; use {5}",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor JobNotFollowed = Descriptors.Create(
        "CND3007",
        "Job started and never followed",
        "The job {0} starts is {1}: nothing learns whether it succeeds; await its WaitForCompletionAsync()",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor BlockingOnJob = Descriptors.Create(
        "CND3008",
        "Blocking wait on a job",
        "{0} blocks a thread for as long as {1} takes (seconds to minutes, polling included) and can deadlock; await it",
        DiagnosticSeverity.Warning,
        Category);

    public static readonly DiagnosticDescriptor JobPolledInLoop = Descriptors.Create(
        "CND3009",
        "Job status polled in a loop",
        "GetStatusAsync in a loop polls the job by hand; WaitForCompletionAsync polls within the status operation's rate limit with growing delays, and throws when the job fails or takes too long",
        DiagnosticSeverity.Info,
        Category);
}
