using System.Threading.Tasks;
using Conduit.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Microsoft.CodeAnalysis.Testing.EmptyDiagnosticAnalyzer, Conduit.CodeFixes.RateLimitCodeFixer>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// The fix for the generator's CND1012: [RateLimit(n)] above a hard limit becomes the hard limit. The test
/// runs the generator itself (Microsoft.CodeAnalysis.Testing's source-generator support), so its
/// diagnostics are checked.
/// </summary>
public sealed class RateLimitTests
{
    private static string Client(string attribute) => $$"""
        using Conduit;

        namespace App;

        [OpenApiClient("openapi/photoshop.json")]
        {{attribute}}
        public partial class PhotoshopClient;

        """;

    private static Task VerifyAsync(string client, string fixedClient, params DiagnosticResult[] expected)
    {
        var test = Verify.Create("internal static class Nothing;\n", client: client, fixedClient: fixedClient);
        test.RunsGenerator = true;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task A_limit_above_the_hard_limit_becomes_the_hard_limit() => VerifyAsync(
        Client("""[{|CND1012:RateLimit(20, Group = "photoshop", HttpMethod = "POST")|}]"""),
        Client("""[RateLimit(16, Group = "photoshop", HttpMethod = "POST")]"""));

    [Fact]
    public Task An_attribute_over_two_limits_takes_the_lower_hard_limit() => VerifyAsync(
        Client("""[{|#0:RateLimit(limit: 20, HttpMethod = "POST")|}]"""),
        Client("""[RateLimit(limit: 3, HttpMethod = "POST")]"""),
        new DiagnosticResult("CND1012", DiagnosticSeverity.Error).WithLocation(0).WithMessage(
            "[RateLimit(20)] on 'PhotoshopClient' asks for 20 requests per 3 s for photoshop POST, above the service's hard limit of 16. Use at most 16; the default is the soft limit, 15."),
        new DiagnosticResult("CND1012", DiagnosticSeverity.Error).WithLocation(0).WithMessage(
            "[RateLimit(20)] on 'PhotoshopClient' asks for 20 requests per 3 s for remove-background POST, above the service's hard limit of 3. Use at most 3; the default is the soft limit, 2."));

    [Fact]
    public Task Limits_within_the_hard_limit_are_left_alone() => VerifyAsync(
        Client("""
            [RateLimit(16, Group = "photoshop", HttpMethod = "POST")]
            [RateLimit(1, Group = "remove-background", HttpMethod = "POST")]
            """),
        Client("""
            [RateLimit(16, Group = "photoshop", HttpMethod = "POST")]
            [RateLimit(1, Group = "remove-background", HttpMethod = "POST")]
            """));
}
