using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Conduit.Generators.Analyzers.RetryPolicyAnalyzer, Conduit.CodeFixes.RetryPolicyCodeFixer>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// CND3002 and CND3006: [RetryPolicy] against Photoshop's x-retry (500, 502, 503 and 504, 3 retries,
/// exponential from 1 s), read from the generated methods' [OperationRules].
/// </summary>
public sealed class RetryPolicyTests
{
    private const string NoCode = "internal static class Nothing;\n";

    private static string Client(string attributes) => $$"""
        using Conduit;

        namespace App;

        [OpenApiClient("openapi/photoshop.json")]
        {{attributes}}
        public partial class PhotoshopClient;

        """;

    [Fact]
    public Task A_4xx_status_is_reported_and_removed() => Verify.VerifyAsync(
        NoCode,
        client: Client("[RetryPolicy({|CND3002:Statuses = new[] { 429, 500, 502, 503 }|})]"),
        fixedClient: Client("[RetryPolicy(Statuses = new[] { 500, 502, 503 })]"));

    [Fact]
    public Task Only_4xx_statuses_leave_the_document_s_statuses_and_Fix_All_fixes_every_attribute() => Verify.VerifyAsync(
        NoCode,
        client: Client("""
            [RetryPolicy(Operation = "removeBackground", {|CND3002:Statuses = [408, 429]|}, MaxRetries = 2)]
            [RetryPolicy(Tag = "psdService", {|CND3002:Statuses = new int[] { 400, 500 }|})]
            [RetryPolicy({|CND3002:Statuses = [429]|})]
            """),
        fixedClient: Client("""
            [RetryPolicy(Operation = "removeBackground", MaxRetries = 2)]
            [RetryPolicy(Tag = "psdService", Statuses = new int[] { 500 })]
            [RetryPolicy]
            """));

    [Fact]
    public Task MaxRetries_above_the_document_s_is_reported_and_set_to_it() => Verify.VerifyAsync(
        NoCode,
        client: Client("""
            [RetryPolicy({|CND3006:MaxRetries = 5|})]
            [RetryPolicy(HttpMethod = "POST", {|CND3006:MaxRetries = 4|}, Jitter = false)]
            """),
        fixedClient: Client("""
            [RetryPolicy(MaxRetries = 3)]
            [RetryPolicy(HttpMethod = "POST", MaxRetries = 3, Jitter = false)]
            """));

    [Fact]
    public Task A_first_delay_below_the_document_s_is_reported_and_set_to_it() => Verify.VerifyAsync(
        NoCode,
        client: Client("""[RetryPolicy(Operation = "CreateCompositeAsync", {|CND3006:BaseDelaySeconds = 0.25|}, {|CND3006:MaxRetries = 6|})]"""),
        fixedClient: Client("""[RetryPolicy(Operation = "CreateCompositeAsync", BaseDelaySeconds = 1, MaxRetries = 3)]"""));

    [Fact]
    public async Task The_messages_say_what_the_service_allows()
    {
        var test = Verify.Create(NoCode, client: Client("""[RetryPolicy(Operation = "createComposite", {|#0:Statuses = [404, 429, 503]|}, {|#1:MaxRetries = 4|}, {|#2:BaseDelaySeconds = 0.5|})]"""));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CND3002", DiagnosticSeverity.Warning).WithLocation(0).WithMessage(
            "[RetryPolicy] on 'PhotoshopClient' retries 404, 429: the service allows retrying only 5xx, and a 429 is answered by waiting for its Retry-After, which the client's rate limiter does; remove the 4xx statuses"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CND3006", DiagnosticSeverity.Warning).WithLocation(1).WithMessage(
            "[RetryPolicy] on 'PhotoshopClient' sets MaxRetries = 4 for 'createComposite', but the service allows at most 3 retries; use MaxRetries = 3"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CND3006", DiagnosticSeverity.Warning).WithLocation(2).WithMessage(
            "[RetryPolicy] on 'PhotoshopClient' sets BaseDelaySeconds = 0.5 for 'createComposite', but the service allows a first delay of at least 1 s; use BaseDelaySeconds = 1"));
        await test.RunAsync();
    }

    [Fact]
    public Task Policies_within_the_rules_and_those_the_generator_rejects_are_not_reported() => Verify.VerifyAsync(
        NoCode,
        client: Client("""
            [RetryPolicy(MaxRetries = 2, BaseDelaySeconds = 2, Statuses = new[] { 500, 503 })]
            [RetryPolicy(Operation = "removeBackground", MaxRetries = 0)]
            [RetryPolicy(Operation = "noSuchOperation", MaxRetries = 9, Statuses = [429])]
            [RetryPolicy(Tag = "photoshop", MaxRetries = 11)]
            [RetryPolicy(HttpMethod = "FETCH", Statuses = [429])]
            [RetryPolicy(Tag = "removeBackground", BaseDelaySeconds = 0, Statuses = [429, 700])]
            """));
}
