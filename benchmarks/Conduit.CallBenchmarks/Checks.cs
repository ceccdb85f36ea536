using System;
using System.Threading.Tasks;

namespace Conduit.CallBenchmarks;

/// <summary>Every client is called once before measuring, and must read the same item.</summary>
public static class Checks
{
    /// <summary>Calls each client's GET and POST and compares what they read.</summary>
    /// <param name="clients">The clients.</param>
    /// <param name="echo">Whether the POST answer echoes the body (loopback) or is the fixed item (in memory).</param>
    public static async Task RunAsync(ClientSet clients, bool echo = true)
    {
        var expectedPostId = echo ? 43 : 42;
        var expectedPostName = echo ? "Red widget" : "Blue widget";

        var a = await clients.HandWritten.GetItemAsync(42).ConfigureAwait(false);
        var b = await clients.Conduit.GetItemAsync(42).ConfigureAwait(false);
        var c = await clients.ConduitNoRules.GetItemAsync(42).ConfigureAwait(false);
        var d = await clients.Refit.GetItemAsync(42).ConfigureAwait(false);
        Same("GET", Describe(a), $"{b.Id} {b.Name} {string.Join(",", b.Tags)} {b.Owner.Name} {b.CreatedAt:O} {b.Price}");
        Same("GET", Describe(a), $"{c.Id} {c.Name} {string.Join(",", c.Tags)} {c.Owner.Name} {c.CreatedAt:O} {c.Price}");
        Same("GET", Describe(a), Describe(d));
        if (a.Id != 42 || a.Name != "Blue widget" || a.Tags.Count != 3)
        {
            throw new InvalidOperationException("GET read the wrong item: " + Describe(a));
        }

        var e = await clients.HandWritten.CreateItemAsync(ClientSet.Body).ConfigureAwait(false);
        var f = await clients.Conduit.CreateItemAsync(ClientSet.RulesBody).ConfigureAwait(false);
        var g = await clients.ConduitNoRules.CreateItemAsync(ClientSet.PlainBody).ConfigureAwait(false);
        var h = await clients.Refit.CreateItemAsync(ClientSet.Body).ConfigureAwait(false);
        Same("POST", Describe(e), $"{f.Id} {f.Name} {string.Join(",", f.Tags)} {f.Owner.Name} {f.CreatedAt:O} {f.Price}");
        Same("POST", Describe(e), $"{g.Id} {g.Name} {string.Join(",", g.Tags)} {g.Owner.Name} {g.CreatedAt:O} {g.Price}");
        Same("POST", Describe(e), Describe(h));
        if (e.Id != expectedPostId || e.Name != expectedPostName)
        {
            throw new InvalidOperationException("POST read the wrong item: " + Describe(e));
        }
    }

    private static string Describe(Item i) => $"{i.Id} {i.Name} {string.Join(",", i.Tags)} {i.Owner.Name} {i.CreatedAt:O} {i.Price}";

    private static void Same(string what, string expected, string actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"{what}: clients disagree: '{expected}' vs '{actual}'.");
        }
    }
}
