using System.Collections.Generic;
using System.Text;

namespace Conduit.Fuzz.Fuzzing;

/// <summary>
/// One fuzzed document: its text, the seed and mutations it came from, and how to make it again
/// (<c>dotnet run --project tests/Conduit.Fuzz.Tests -- --seed S --mutant I</c>).
/// </summary>
public sealed record Mutant(Seed Seed, int SessionSeed, int Index, string Path, string Text, IReadOnlyList<string> Mutations)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("seed=").Append(SessionSeed).Append(" mutant=").Append(Index).Append(" document=").Append(Seed.Name)
            .Append(" (").Append(Text.Length).Append(" chars): ").Append(string.Join("; ", Mutations));
        return text.ToString();
    }
}
