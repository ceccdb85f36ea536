using System;
using System.Globalization;

namespace Conduit.Throughput;

/// <summary>The command line: <c>--seconds N --callers N --method post|get --margin default|zero|MS</c>.</summary>
public sealed record Settings(int Seconds, int Callers, string Method, TimeSpan? Margin)
{
    /// <summary>Reads the arguments; throws <see cref="ArgumentException"/> for anything it does not know.</summary>
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(60, 50, "post", null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--seconds" => settings with { Seconds = Positive(args[i], value) },
                "--callers" => settings with { Callers = Positive(args[i], value) },
                "--method" => settings with { Method = value is "post" or "get" ? value : throw new ArgumentException("--method is post or get.") },
                "--margin" => settings with { Margin = ParseMargin(value) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}. Use --seconds N --callers N --method post|get --margin default|zero|MS."),
            };
            i++;
        }

        if (settings.Seconds < 9)
        {
            throw new ArgumentException("--seconds must be at least 9: the first 3-second window is not counted.");
        }

        return settings;
    }

    /// <summary>The margin as the command line gave it.</summary>
    public string MarginText => Margin is null ? "default (none)" : $"{Margin.Value.TotalMilliseconds:0.###} ms";

    private static int Positive(string name, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} takes a positive whole number.");

    private static TimeSpan? ParseMargin(string value) => value switch
    {
        "default" => null,
        "zero" or "0" => TimeSpan.Zero,
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 => TimeSpan.FromMilliseconds(ms),
        _ => throw new ArgumentException("--margin is default, zero or a number of milliseconds."),
    };
}
