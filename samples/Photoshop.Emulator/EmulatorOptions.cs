using System;
using System.Collections.Generic;

namespace Photoshop.Emulator;

/// <summary>
/// How a <see cref="PhotoshopEmulator"/> behaves. Read once, when the emulator starts; every default is the
/// real service's behaviour where it has one.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The rate-limit group of the Photoshop v2 and v1 psdService operations.</summary>
    public const string PhotoshopGroup = "photoshop";

    /// <summary>The rate-limit group of the Remove Background operations.</summary>
    public const string RemoveBackgroundGroup = "remove-background";

    /// <summary>The bearer token the emulator accepts. Default <c>emulator-token</c>.</summary>
    public string AccessToken { get; init; } = "emulator-token";

    /// <summary>The client id the emulator accepts in <c>x-api-key</c>. Default <c>emulator-client</c>.</summary>
    public string ApiKey { get; init; } = "emulator-client";

    /// <summary>The client secret that, with <see cref="ApiKey"/> as client id, gets a token from the emulator's IMS endpoint (<c>POST /ims/token/v3</c>).</summary>
    public string ClientSecret { get; init; } = "emulator-secret";

    /// <summary>How long the tokens the IMS endpoint issues last (<c>expires_in</c>). Adobe's: 86,399 s.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromSeconds(86_399);

    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The length of the sliding rate-limit window. Default 3 seconds, as the service's.</summary>
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Hard limits per rate-limit group and HTTP method: how many requests the group accepts within one
    /// <see cref="RateLimitWindow"/>. Defaults are the service's: <c>photoshop</c> POST 16 and GET 310,
    /// <c>remove-background</c> POST 3 and GET 1000. A pair missing here is not limited.
    /// </summary>
    public IDictionary<(string Group, string Method), int> HardLimits { get; init; } = new Dictionary<(string Group, string Method), int>
    {
        [(PhotoshopGroup, "POST")] = 16,
        [(PhotoshopGroup, "GET")] = 310,
        [(RemoveBackgroundGroup, "POST")] = 3,
        [(RemoveBackgroundGroup, "GET")] = 1000,
    };

    /// <summary>
    /// How long a job takes from creation to its final state: pending for the first third, then running
    /// (v1 outputs: uploading for the last sixth), then succeeded or failed. Default 1.5 seconds; zero makes
    /// every job final at once.
    /// </summary>
    public TimeSpan JobDuration { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The share of jobs, 0 to 1, that end failed with error details. Default 0.</summary>
    public double JobFailureRate { get; init; }

    /// <summary>
    /// The share of requests, 0 to 1, answered 500, 502, 503 or 504 before anything else is done (no rate
    /// limit counted, no job created). Default 0.
    /// </summary>
    public double FaultRate { get; init; }

    /// <summary>The share of responses, 0 to 1, held back for <see cref="SlowDelay"/>. Default 0.</summary>
    public double SlowRate { get; init; }

    /// <summary>How long a slow response is held back. Default 2 seconds.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Seeds the fault, slow-response and failed-job decisions. Each decision hashes the seed with the
    /// request's arrival number (or the job's creation number), so a seed always gives the same decisions.
    /// Default 1.
    /// </summary>
    public int Seed { get; init; } = 1;

    /// <summary>The clock of job progress, rate-limit windows and slow responses. Default the system's.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many requests <see cref="PhotoshopEmulator.Requests"/> keeps; older ones are dropped. Default 10,000.</summary>
    public int RecordLimit { get; init; } = 10_000;

    /// <summary>
    /// The share of event deliveries, 0 to 1, that are sent twice (the same event id, body and signatures),
    /// as Adobe I/O Events' at-least-once delivery does. Default 0.
    /// </summary>
    public double EventDuplicateRate { get; init; }

    /// <summary>
    /// Scales Adobe I/O Events' retry schedule of failed deliveries (1, 2, 4, 8, then every 15 minutes for
    /// 24 hours): 1 (the default) is the service's; 0.001 turns each minute into 60 ms.
    /// </summary>
    public double EventRetryScale { get; init; } = 1;

    /// <summary>How long a webhook has to answer a delivery before it counts as failed. Default 10 s, as the service's.</summary>
    public TimeSpan EventDeliveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>retry-after</c>, in whole seconds, of a journal read at the end of the journal (204). Default 10 s, as the service's.</summary>
    public TimeSpan JournalRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws when a value is out of its range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RateLimitWindow, TimeSpan.Zero, nameof(RateLimitWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(JobDuration, TimeSpan.Zero, nameof(JobDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(SlowDelay, TimeSpan.Zero, nameof(SlowDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecordLimit, 0, nameof(RecordLimit));
        CheckRate(JobFailureRate, nameof(JobFailureRate));
        CheckRate(FaultRate, nameof(FaultRate));
        CheckRate(SlowRate, nameof(SlowRate));
        CheckRate(EventDuplicateRate, nameof(EventDuplicateRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EventRetryScale, nameof(EventRetryScale));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(EventDeliveryTimeout, TimeSpan.Zero, nameof(EventDeliveryTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(JournalRetryAfter, TimeSpan.Zero, nameof(JournalRetryAfter));
        ArgumentException.ThrowIfNullOrEmpty(AccessToken, nameof(AccessToken));
        ArgumentException.ThrowIfNullOrEmpty(ApiKey, nameof(ApiKey));
        ArgumentNullException.ThrowIfNull(HardLimits, nameof(HardLimits));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        foreach (var (key, limit) in HardLimits)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit, $"{nameof(HardLimits)}[{key}]");
        }
    }

    private static void CheckRate(double rate, string name)
    {
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, rate, "A rate is a share from 0 to 1.");
        }
    }
}
