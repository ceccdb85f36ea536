using System;
using System.Globalization;

namespace Photoshop.Quickstart;

/// <summary>The quickstart's command line.</summary>
internal sealed record Settings(double Faults, int Seed, int Workflows, bool Webhook, Files? Adobe, string? Problem)
{
    public const string Usage = """
        usage: dotnet run --project samples/Photoshop.Quickstart -- [options]
          against the emulator (no credentials in the environment):
            --faults RATE      share of requests the emulator fails with 5xx (default 0)
            --seed N           seed of the emulator's faults (default 1)
            --workflows N      workflows run side by side (default 3)
            --webhook          complete jobs from Adobe I/O Events: the emulator delivers signed events
                               to a receiver on loopback (polling stays as the fallback)
          against Adobe (ADOBE_CLIENT_ID and ADOBE_CLIENT_SECRET set):
            --input URL        a pre-signed GET link to a JPEG or PNG photo
            --psd URL          a pre-signed PUT link for the layered PSD
            --png URL          a pre-signed PUT link for the rendered PNG
        """;

    public static Settings Parse(string[] args)
    {
        double faults = 0;
        int seed = 1, workflows = 3;
        var webhook = false;
        string? input = null, psd = null, png = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--webhook")
            {
                webhook = true;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : null;
            var known = args[i] switch
            {
                "--faults" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out faults) && faults is >= 0 and <= 1,
                "--seed" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed),
                "--workflows" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out workflows) && workflows is >= 1 and <= 100,
                "--input" => (input = value) is not null,
                "--psd" => (psd = value) is not null,
                "--png" => (png = value) is not null,
                _ => false,
            };
            if (!known)
            {
                return new Settings(0, 0, 0, false, null, $"Cannot use '{args[i]} {value}'.");
            }

            i++;
        }

        var adobe = input is null && psd is null && png is null
            ? null
            : Uri.TryCreate(input, UriKind.Absolute, out var i1) && Uri.TryCreate(psd, UriKind.Absolute, out var i2) && Uri.TryCreate(png, UriKind.Absolute, out var i3)
                ? new Files(i1, i2, i3)
                : null;
        var needsAdobe = Environment.GetEnvironmentVariable("ADOBE_CLIENT_ID") is { Length: > 0 } && Environment.GetEnvironmentVariable("ADOBE_CLIENT_SECRET") is { Length: > 0 };
        var problem = needsAdobe && adobe is null ? "Against Adobe, give --input, --psd and --png as absolute pre-signed URLs."
            : needsAdobe && webhook ? "--webhook runs against the emulator only: Adobe cannot reach a receiver on loopback."
            : null;
        return new Settings(faults, seed, workflows, webhook, adobe, problem);
    }
}

/// <summary>The files of one workflow: the photo in, the layered PSD and the rendered PNG out.</summary>
internal sealed record Files(Uri Input, Uri Psd, Uri Png)
{
    /// <summary>Made-up pre-signed links, which the emulator accepts as they are.</summary>
    public static Files OnEmulator(int n) => new(
        new Uri($"https://my-bucket.s3.amazonaws.com/in/sneaker-{n}.jpg?X-Amz-Signature=example"),
        new Uri($"https://my-bucket.s3.amazonaws.com/out/sneaker-{n}.psd?X-Amz-Signature=example"),
        new Uri($"https://my-bucket.s3.amazonaws.com/out/sneaker-{n}.png?X-Amz-Signature=example"));
}
