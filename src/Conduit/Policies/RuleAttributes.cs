using System;

namespace Conduit.Policies;

/// <summary>
/// The service's rules for one operation, as its document declares them (before any attribute of the
/// client class overrides them). Conduit puts it on each generated operation method that has rules, so
/// that analyzers read the rules from symbols rather than from the document.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OperationRulesAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="operationId">The operation's id in the document.</param>
    public OperationRulesAttribute(string operationId) => OperationId = operationId;

    /// <summary>The operation's id in the document.</summary>
    public string OperationId { get; }

    /// <summary>The statuses the service allows retrying (<c>x-retry</c>), or <see langword="null"/> when the document gives no retry rule.</summary>
    public int[]? RetryStatuses { get; set; }

    /// <summary>Status classes the service allows retrying: 5 for every 5xx.</summary>
    public int[]? RetryStatusClasses { get; set; }

    /// <summary>Retries after the first try the service allows.</summary>
    public int MaxRetries { get; set; }

    /// <summary>The shortest first delay between tries the service asks for, in seconds.</summary>
    public double BaseDelaySeconds { get; set; }

    /// <summary>Whether the service accepts multipart bodies for this operation (<c>x-multipart</c>).</summary>
    public bool MultipartAllowed { get; set; } = true;

    /// <summary>How many input files one request may carry (<c>x-file-input</c>), or -1 when unbounded.</summary>
    public int MaxFileInputs { get; set; } = -1;

    /// <summary>Whether the operation starts an asynchronous job (<c>x-job</c>).</summary>
    public bool StartsJob { get; set; }
}

/// <summary>
/// Marks a request model's property that carries input files the service fetches (<c>x-file-input</c>):
/// one file for an object or a URL, one per element for a list, at most <see cref="MaxItems"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FileInputAttribute : Attribute
{
    /// <summary>How many files one request may carry through this property, or -1 when unbounded.</summary>
    public int MaxItems { get; set; } = -1;
}
