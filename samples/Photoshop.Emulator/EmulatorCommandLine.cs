using System;
using System.Collections.Generic;
using System.Globalization;

namespace Photoshop.Emulator;

/// <summary>Reads the emulator's command line into <see cref="EmulatorOptions"/>.</summary>
public static class EmulatorCommandLine
{
    /// <summary>What the command line accepts.</summary>
    public const string Usage =
        "Usage: Photoshop.Emulator [--port N] [--faults RATE] [--slow RATE] [--seed N] [--job-seconds S] [--job-failures RATE]\n" +
        "  --port          loopback port, 0 for any free one (default 0)\n" +
        "  --faults        share of requests answered 500/502/503/504, 0 to 1 (default 0)\n" +
        "  --slow          share of responses delayed by 2 s, 0 to 1 (default 0)\n" +
        "  --seed          seed of the fault, slow and failed-job decisions (default 1)\n" +
        "  --job-seconds   how long a job takes to finish (default 1.5)\n" +
        "  --job-failures  share of jobs that end failed, 0 to 1 (default 0)";

    /// <summary>Reads <paramref name="args"/>; throws <see cref="FormatException"/> with a message for the user when one is wrong.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var defaults = new EmulatorOptions();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--port" or "--faults" or "--slow" or "--seed" or "--job-seconds" or "--job-failures"))
            {
                throw new FormatException($"Unknown argument '{args[i]}'.");
            }

            values[args[i]] = i + 1 < args.Count ? args[i + 1] : throw new FormatException($"{args[i]} needs a value.");
        }

        var options = new EmulatorOptions
        {
            Port = Read(values, "--port", defaults.Port, int.Parse),
            FaultRate = Read(values, "--faults", defaults.FaultRate, double.Parse),
            SlowRate = Read(values, "--slow", defaults.SlowRate, double.Parse),
            Seed = Read(values, "--seed", defaults.Seed, int.Parse),
            JobDuration = TimeSpan.FromSeconds(Read(values, "--job-seconds", defaults.JobDuration.TotalSeconds, double.Parse)),
            JobFailureRate = Read(values, "--job-failures", defaults.JobFailureRate, double.Parse),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException(e.Message, e);
        }

        return options;
    }

    private static T Read<T>(Dictionary<string, string> values, string name, T fallback, Func<string, IFormatProvider, T> parse)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"{name} takes a number, not '{text}'.", e);
        }
    }
}
