namespace Photoshop.Emulator;

/// <summary>
/// The emulator's chance decisions: which requests fault or are slow, which jobs fail, which events are
/// delivered twice. Each decision hashes the seed, the kind of decision and a number (the request's arrival
/// number, the job's creation number or the event's), so a seed gives the same decisions in every run and
/// the number of faults over N requests is fixed.
/// </summary>
internal sealed class Faults(EmulatorOptions options)
{
    private static readonly int[] FaultStatuses = [500, 502, 503, 504];

    private enum Decision : ulong
    {
        Fault = 1,
        FaultStatus = 2,
        Slow = 3,
        JobFailure = 4,
        EventDuplicate = 5,
    }

    /// <summary>The status of the fault to answer the request with, or <see langword="null"/> to handle it.</summary>
    public int? FaultStatus(long sequence) =>
        Draw(Decision.Fault, sequence) < options.FaultRate
            ? FaultStatuses[(int)(Hash(Decision.FaultStatus, sequence) % (ulong)FaultStatuses.Length)]
            : null;

    /// <summary>Whether the response to the request is held back.</summary>
    public bool IsSlow(long sequence) => Draw(Decision.Slow, sequence) < options.SlowRate;

    /// <summary>Whether the job ends failed.</summary>
    public bool JobFails(long jobNumber) => Draw(Decision.JobFailure, jobNumber) < options.JobFailureRate;

    /// <summary>Whether the event's successful delivery is sent a second time.</summary>
    public bool EventDuplicated(long eventNumber) => Draw(Decision.EventDuplicate, eventNumber) < options.EventDuplicateRate;

    /// <summary>A number in [0, 1) for the decision.</summary>
    private double Draw(Decision decision, long number) => (Hash(decision, number) >> 11) * (1.0 / (1UL << 53));

    /// <summary>SplitMix64's finalizer over the seed, the decision and the number.</summary>
    private ulong Hash(Decision decision, long number)
    {
        var x = unchecked(((ulong)(uint)options.Seed << 32) ^ ((ulong)decision * 0x9E3779B97F4A7C15UL) ^ ((ulong)number * 0xBF58476D1CE4E5B9UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
