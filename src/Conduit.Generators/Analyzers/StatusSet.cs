using System;
using System.Collections.Generic;
using System.Globalization;

namespace Conduit.Generators.Analyzers;

/// <summary>An immutable set of HTTP statuses, 100 to 599.</summary>
internal sealed class StatusSet
{
    private const int First = 100;
    private const int Last = 599;
    private const int Words = (Last + 64) / 64;

    private readonly ulong[] _bits;

    private StatusSet(ulong[] bits) => _bits = bits;

    public static StatusSet Empty { get; } = new(new ulong[Words]);

    public static StatusSet All { get; } = Range(First, Last);

    /// <summary>408, 429 and every 5xx: what Microsoft.Extensions.Http.Resilience treats as transient.</summary>
    public static StatusSet Transient { get; } = Of(408).Union(Of(429)).Union(Range(500, Last));

    /// <summary>Every 4xx.</summary>
    public static StatusSet ClientErrors { get; } = Range(400, 499);

    public bool IsEmpty => Array.TrueForAll(_bits, word => word == 0);

    public static StatusSet Of(int status) => Range(status, status);

    /// <summary>The statuses from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static StatusSet Range(int from, int to)
    {
        var bits = new ulong[Words];
        for (var status = Math.Max(from, First); status <= Math.Min(to, Last); status++)
        {
            bits[status / 64] |= 1UL << (status % 64);
        }

        return new StatusSet(bits);
    }

    public bool Contains(int status) => status is >= First and <= Last && (_bits[status / 64] & (1UL << (status % 64))) != 0;

    public StatusSet Union(StatusSet other) => Combine(other, static (a, b) => a | b);

    public StatusSet Intersect(StatusSet other) => Combine(other, static (a, b) => a & b);

    public StatusSet Except(StatusSet other) => Combine(other, static (a, b) => a & ~b);

    public StatusSet Complement() => All.Except(this);

    /// <summary>The set as people write it: "429", "408, 429", "400-499".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        for (var status = First; status <= Last; status++)
        {
            if (!Contains(status))
            {
                continue;
            }

            var end = status;
            while (end < Last && Contains(end + 1))
            {
                end++;
            }

            parts.Add(end == status
                ? status.ToString(CultureInfo.InvariantCulture)
                : status.ToString(CultureInfo.InvariantCulture) + "-" + end.ToString(CultureInfo.InvariantCulture));
            status = end;
        }

        return string.Join(", ", parts);
    }

    private StatusSet Combine(StatusSet other, Func<ulong, ulong, ulong> combine)
    {
        var bits = new ulong[Words];
        for (var i = 0; i < Words; i++)
        {
            bits[i] = combine(_bits[i], other._bits[i]);
        }

        return new StatusSet(bits);
    }
}
