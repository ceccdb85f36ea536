using System;
using System.Text.Json;
using System.Threading;

namespace Conduit.Json;

/// <summary>
/// Property names as strings without a new string per property read: the names of a service's models
/// repeat in every answer, so each distinct UTF-8 name is decoded once and kept, up to
/// <see cref="Capacity"/> names per process (after that, names are decoded as usual, so a payload with
/// endless distinct names costs no more than before). Escaped names are always decoded.
/// </summary>
internal static class PropertyNames
{
    /// <summary>How many names are kept.</summary>
    public const int Capacity = 4096;

    private const int LongestKept = 64;

    private static readonly Entry?[] Table = new Entry?[Capacity * 2];
    private static readonly object Gate = new();
    private static int _count;

    /// <summary>The name the reader is on (a property name).</summary>
    public static string Of(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > LongestKept)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        var hash = Hash(utf8);
        var mask = Table.Length - 1;
        for (var slot = hash & mask; Volatile.Read(ref Table[slot]) is { } entry; slot = (slot + 1) & mask)
        {
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Name;
            }
        }

        var name = reader.GetString()!;
        if (Volatile.Read(ref _count) < Capacity)
        {
            Add(utf8.ToArray(), name, hash);
        }

        return name;
    }

    private static void Add(byte[] utf8, string name, int hash)
    {
        lock (Gate)
        {
            var mask = Table.Length - 1;
            var slot = hash & mask;
            for (; Table[slot] is { } entry; slot = (slot + 1) & mask)
            {
                if (entry.Hash == hash && utf8.AsSpan().SequenceEqual(entry.Utf8))
                {
                    return;
                }
            }

            if (_count < Capacity)
            {
                Volatile.Write(ref Table[slot], new Entry(utf8, name, hash));
                _count++;
            }
        }
    }

    /// <summary>FNV-1a over the bytes, made non-negative.</summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private sealed class Entry(byte[] utf8, string name, int hash)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Name { get; } = name;

        public int Hash { get; } = hash;
    }
}
