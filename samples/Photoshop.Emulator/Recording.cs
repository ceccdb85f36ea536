using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Photoshop.Emulator;

/// <summary>One request as it reached the emulator, with the answer it got.</summary>
/// <param name="Sequence">The arrival number, from 1 when the emulator started (not reset by <see cref="PhotoshopEmulator.ResetRecords"/>).</param>
/// <param name="At">When it arrived, since the emulator started, by the options' <see cref="TimeProvider"/>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, percent-decoded.</param>
/// <param name="Query">The query string with its <c>?</c>, or <see langword="null"/>.</param>
/// <param name="ContentType">The <c>Content-Type</c> header, or <see langword="null"/>.</param>
/// <param name="Body">The body as UTF-8 text, or <see langword="null"/> when there was none.</param>
/// <param name="Status">The status code answered.</param>
/// <param name="LimitGroup">The rate-limit group of the operation, or <see langword="null"/> for an unknown route.</param>
/// <param name="OverHardLimit">Whether it arrived beyond its group's hard limit (and was answered 429).</param>
/// <param name="FaultInjected">Whether it was answered with an injected fault.</param>
/// <param name="JobId">The job it started or read, if any.</param>
/// <param name="Headers">
/// A few request headers: <c>authorization</c> as <c>absent</c>, <c>invalid</c> or <c>valid</c> (never the token),
/// and, when sent, <c>x-api-key</c>, <c>x-gw-ims-org-id</c>, <c>x-request-id</c> and <c>user-agent</c>.
/// </param>
public sealed record RecordedRequest(
    int Sequence,
    TimeSpan At,
    string Method,
    string Path,
    string? Query,
    string? ContentType,
    string? Body,
    int Status,
    string? LimitGroup,
    bool OverHardLimit,
    bool FaultInjected,
    string? JobId,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The <c>x-request-id</c> the emulator answered with.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>Whether the response was held back for <see cref="EmulatorOptions.SlowDelay"/>.</summary>
    public bool Slow { get; init; }
}

/// <summary>Counts since the emulator started or since <see cref="PhotoshopEmulator.ResetRecords"/>.</summary>
public sealed record EmulatorStats
{
    /// <summary>Requests answered.</summary>
    public int Requests { get; init; }

    /// <summary>Requests answered 429.</summary>
    public int Throttled { get; init; }

    /// <summary>Requests that arrived beyond a hard rate limit.</summary>
    public int OverHardLimit { get; init; }

    /// <summary>Requests answered with an injected fault.</summary>
    public int Faults { get; init; }

    /// <summary>Responses held back for <see cref="EmulatorOptions.SlowDelay"/>.</summary>
    public int SlowResponses { get; init; }

    /// <summary>Jobs started.</summary>
    public int JobsCreated { get; init; }

    /// <summary>Of those, jobs that have reached <c>succeeded</c> by now.</summary>
    public int JobsSucceeded { get; init; }

    /// <summary>Of those, jobs that have reached <c>failed</c> by now.</summary>
    public int JobsFailed { get; init; }

    /// <summary>Requests answered, by status code.</summary>
    public IReadOnlyDictionary<int, int> ByStatus { get; init; } = new Dictionary<int, int>();

    /// <summary>One line, such as <c>requests=20 throttled=1 ... status 202x12 429x1</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"requests={Requests} throttled={Throttled} over-hard-limit={OverHardLimit} faults={Faults} slow={SlowResponses} " +
        $"jobs={JobsCreated} succeeded={JobsSucceeded} failed={JobsFailed} status {string.Join(' ', ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"))}");
}

/// <summary>Keeps the recorded requests (the newest <see cref="EmulatorOptions.RecordLimit"/>) and the request counts.</summary>
internal sealed class Recorder(int limit)
{
    private readonly Queue<RecordedRequest> _requests = new();
    private readonly SortedDictionary<int, int> _byStatus = [];
    private readonly Lock _gate = new();
    private int _sequence;
    private int _count;
    private int _throttled;
    private int _overHardLimit;
    private int _faults;
    private int _slow;

    /// <summary>The arrival number of a new request.</summary>
    public int NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Adds an answered request.</summary>
    public void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Enqueue(request);
            if (_requests.Count > limit)
            {
                _requests.Dequeue();
            }

            _count++;
            _throttled += request.Status == 429 ? 1 : 0;
            _overHardLimit += request.OverHardLimit ? 1 : 0;
            _faults += request.FaultInjected ? 1 : 0;
            _slow += request.Slow ? 1 : 0;
            _byStatus[request.Status] = _byStatus.GetValueOrDefault(request.Status) + 1;
        }
    }

    /// <summary>The recorded requests in the order they were answered.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    /// <summary>The request counts, with the job counts given.</summary>
    public EmulatorStats Stats(JobCounts jobs)
    {
        lock (_gate)
        {
            return new EmulatorStats
            {
                Requests = _count,
                Throttled = _throttled,
                OverHardLimit = _overHardLimit,
                Faults = _faults,
                SlowResponses = _slow,
                JobsCreated = jobs.Created,
                JobsSucceeded = jobs.Succeeded,
                JobsFailed = jobs.Failed,
                ByStatus = new Dictionary<int, int>(_byStatus),
            };
        }
    }

    /// <summary>Forgets the recorded requests and zeroes the counts; arrival numbers go on.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _byStatus.Clear();
            _count = _throttled = _overHardLimit = _faults = _slow = 0;
        }
    }
}
