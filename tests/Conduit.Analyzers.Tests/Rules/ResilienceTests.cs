using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Conduit.Generators.Analyzers.ResilienceAnalyzer, Conduit.CodeFixes.ResilienceCodeFixer>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// CND3003 and CND3004: resilience stacked on a generated client's own pipeline, which already retries the
/// 5xx answers Photoshop's document allows, and no 4xx.
/// </summary>
public sealed class ResilienceTests
{
    private static string Registration(string body) => $$"""
        public static class Registration
        {
            public static void Register(IServiceCollection services)
            {
                {{body.Replace("\n", "\n        ")}}
            }
        }
        """;

    [Fact]
    public Task The_standard_resilience_handler_on_a_generated_client_is_reported_and_removed() => Verify.VerifyAsync(
        Registration("""
            services.AddPhotoshopClient(http => http.Timeout = TimeSpan.FromMinutes(1)).{|CND3004:AddStandardResilienceHandler()|};
            services.AddPhotoshopClient().ConfigureHttpClient(http => http.DefaultRequestHeaders.Add("x-api-key", "id")).{|CND3004:AddStandardHedgingHandler()|};
            var builder = services.AddPhotoshopClient();
            builder.{|CND3004:AddStandardResilienceHandler()|}.Configure(options => options.Retry.MaxRetryAttempts = 1);
            services.AddHttpClient<IPhotoshopClient, PhotoshopClient>().{|CND3004:AddStandardResilienceHandler()|};
            """),
        Registration("""
            services.AddPhotoshopClient(http => http.Timeout = TimeSpan.FromMinutes(1));
            services.AddPhotoshopClient().ConfigureHttpClient(http => http.DefaultRequestHeaders.Add("x-api-key", "id"));
            var builder = services.AddPhotoshopClient();
            services.AddHttpClient<IPhotoshopClient, PhotoshopClient>();
            """));

    [Fact]
    public Task A_standard_handler_whose_builder_is_used_afterwards_is_reported_without_a_fix()
    {
        var source = Registration("""
            var resilience = services.AddPhotoshopClient().{|CND3004:AddStandardResilienceHandler()|};
            resilience.Configure(options => options.Retry.MaxRetryAttempts = 1);
            """);
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task A_standard_handler_on_another_client_is_not_reported() => Verify.VerifyAsync(Registration("""
        services.AddHttpClient("storage").AddStandardResilienceHandler();
        services.AddHttpClient<Storage>().AddStandardResilienceHandler();
        services.AddPhotoshopClient();
        """) + "\n\npublic sealed class Storage(HttpClient http);\n");

    [Fact]
    public Task A_retry_of_429_in_ConfigurePipeline_is_reported_and_restricted_to_5xx() => Verify.VerifyAsync(
        """
        public static class Options
        {
            public static ConduitClientOptions Create() => new()
            {
                ConfigurePipeline = (pipeline, operation) => pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 2,
                    ShouldHandle = {|CND3003:args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests || args.Outcome.Exception is HttpRequestException)|},
                }),
            };
        }
        """,
        """
        public static class Options
        {
            public static ConduitClientOptions Create() => new()
            {
                ConfigurePipeline = (pipeline, operation) => pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 2,
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }),
                }),
            };
        }
        """);

    [Fact]
    public Task Predicate_builders_ranges_patterns_and_defaults_that_reach_a_4xx_are_reported_and_fixed() => Verify.VerifyAsync(
        Registration("""
            services.AddPhotoshopClient().AddResilienceHandler("retry", pipeline =>
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = {|CND3003:new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(response => (int)response.StatusCode >= 400)|},
                });
                pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = {|CND3003:args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode is >= 400 and < 600)|} });
                pipeline.AddRetry({|CND3003:new HttpRetryStrategyOptions()|});
                pipeline.AddRetry({|CND3003:new HttpRetryStrategyOptions { MaxRetryAttempts = 1 }|});
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = {|CND3003:args => args.Outcome switch
                    {
                        { Exception: HttpRequestException } => PredicateResult.True(),
                        { Result.StatusCode: HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError } => PredicateResult.True(),
                        _ => PredicateResult.False(),
                    }|},
                });
            });
            """),
        Registration("""
            services.AddPhotoshopClient().AddResilienceHandler("retry", pipeline =>
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(static response => response.StatusCode >= HttpStatusCode.InternalServerError),
                });
                pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }) });
                pipeline.AddRetry(new HttpRetryStrategyOptions() { ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }) });
                pipeline.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 1, ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }) });
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }),
                });
            });
            """));

    [Fact]
    public async Task The_message_names_the_4xx_statuses_and_whose_requests_they_are()
    {
        var test = Verify.Create(Registration("""
            services.AddPhotoshopClient().AddResilienceHandler("retry", (pipeline, context) => pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = {|#0:args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome))|},
            }));
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CND3003", DiagnosticSeverity.Warning).WithLocation(0).WithMessage(
            "This retry strategy handles 408, 429 on the requests of 'PhotoshopClient': the service allows retrying only 5xx, and Conduit already retries what the document allows; handle 5xx only"));
        await test.RunAsync();
    }

    [Fact]
    public Task Retries_of_5xx_only_unknown_predicates_and_other_clients_are_not_reported() => Verify.VerifyAsync(Registration("""
        services.AddPhotoshopClient().AddResilienceHandler("retry", pipeline =>
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }) });
            pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(r => (int)r.StatusCode >= 500 && r.StatusCode != HttpStatusCode.NotImplemented) });
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                ShouldHandle = args =>
                {
                    if (args.Outcome.Exception is not null)
                    {
                        return PredicateResult.True();
                    }

                    var status = (int)args.Outcome.Result!.StatusCode;
                    if (status < 500)
                    {
                        return PredicateResult.False();
                    }

                    return ValueTask.FromResult(status != 501);
                },
            });
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    { Result.IsSuccessStatusCode: true } => PredicateResult.False(),
                    { Result.StatusCode: < HttpStatusCode.InternalServerError } => PredicateResult.False(),
                    _ => PredicateResult.True(),
                },
            });
            pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = args => Retryable(args.Outcome) });
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>());
        });
        services.AddHttpClient("storage").AddResilienceHandler("retry", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions()));
        """).Replace("public static void Register", "private static ValueTask<bool> Retryable(Outcome<HttpResponseMessage> outcome) => ValueTask.FromResult(false);\n\n    public static void Register"));
}
