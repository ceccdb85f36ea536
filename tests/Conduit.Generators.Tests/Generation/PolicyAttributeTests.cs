using System;
using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Conduit.Policies;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// [RetryPolicy] and [RateLimit] on the client class, read back from the compiled client as the runtime
/// reads them (<c>StudioClient.Operations.X.Policy</c>): each selector takes the operations it names and
/// no other, the most specific attribute wins member by member over the document's rule, and a rate limit
/// goes up to the service's hard limit and never beyond.
/// </summary>
public sealed class PolicyAttributeTests
{
    /// <summary>
    /// Five operations over three tags and two rate-limit groups: studio (POST 15/16, GET and DELETE
    /// 300/310) and uploads (PUT 2/3). Every operation inherits the root's x-retry.
    /// </summary>
    private const string Studio = """
        openapi: 3.0.3
        info: { title: Studio, version: "1" }
        servers: [ { url: "https://studio.example.com" } ]
        x-retry: { statuses: [500, "5XX"], maxRetries: 3, backoff: linear, baseDelay: 2, maxDelay: 20, jitter: false, respectRetryAfter: true }
        x-rate-limit:
          - { group: studio, methods: [POST], window: 3, soft: 15, hard: 16 }
          - { group: studio, methods: [GET, DELETE], window: 3, soft: 300, hard: 310 }
        paths:
          /renders:
            post: { operationId: startRender, tags: [renders], responses: { "204": { description: started } } }
          /renders/{id}:
            parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
            get: { operationId: getRender, tags: [renders], responses: { "204": { description: ok } } }
            delete: { operationId: cancelRender, tags: [renders], responses: { "204": { description: cancelled } } }
          /assets:
            post: { operationId: importAsset, tags: [assets], responses: { "204": { description: imported } } }
          /uploads/{name}:
            x-rate-limit: [ { group: uploads, methods: [PUT], window: 60, soft: 2, hard: 3 } ]
            put:
              operationId: upload
              tags: [assets]
              parameters: [ { name: name, in: path, required: true, schema: { type: string } } ]
              responses: { "204": { description: stored } }
          /health:
            get: { operationId: health, tags: [ops], responses: { "204": { description: up } } }
        """;

    /// <summary>A document with no x-retry and no x-rate-limit anywhere.</summary>
    private const string Bare = """
        openapi: 3.0.3
        info: { title: Bare, version: "1" }
        servers: [ { url: "https://bare.example.com" } ]
        paths:
          /ping:
            get: { operationId: ping, responses: { "204": { description: pong } } }
          /send:
            post: { operationId: send, responses: { "204": { description: sent } } }
        """;

    /// <summary>A limit for GET /items only: the other operations have none.</summary>
    private const string Mixed = """
        openapi: 3.0.3
        info: { title: Mixed, version: "1" }
        servers: [ { url: "https://mixed.example.com" } ]
        paths:
          /items:
            x-rate-limit: [ { group: mixed, methods: [GET], window: 3, soft: 10, hard: 12 } ]
            get: { operationId: listItems, responses: { "204": { description: ok } } }
            post: { operationId: addItem, responses: { "204": { description: added } } }
          /tags:
            get: { operationId: listTags, responses: { "204": { description: ok } } }
            post: { operationId: addTag, responses: { "204": { description: added } } }
        """;

    private static readonly string[] StudioOperations = { "StartRender", "GetRender", "CancelRender", "ImportAsset", "Upload", "Health" };

    // Selectors: each takes the operations it names and no other.
    [Fact]
    public void A_RetryPolicy_without_a_selector_applies_to_every_operation()
    {
        var client = StudioClient("[RetryPolicy(MaxRetries = 1)]");

        Assert.Equal("StartRender:1 GetRender:1 CancelRender:1 ImportAsset:1 Upload:1 Health:1", MaxRetries(client));
    }

    [Fact]
    public void HttpMethod_selects_the_operations_of_that_method_in_any_case()
    {
        var client = StudioClient("""[RetryPolicy(HttpMethod = "post", MaxRetries = 0)]""");

        Assert.Equal("StartRender:0 GetRender:3 CancelRender:3 ImportAsset:0 Upload:3 Health:3", MaxRetries(client));
    }

    [Fact]
    public void Tag_selects_the_operations_with_that_tag()
    {
        var client = StudioClient("""[RetryPolicy(Tag = "assets", MaxRetries = 5)]""");

        Assert.Equal("StartRender:3 GetRender:3 CancelRender:3 ImportAsset:5 Upload:5 Health:3", MaxRetries(client));
    }

    [Theory]
    [InlineData("getRender")]
    [InlineData("GetRenderAsync")]
    public void Operation_selects_one_operation_by_operationId_or_by_method_name(string operation)
    {
        var client = StudioClient($"""[RetryPolicy(Operation = "{operation}", MaxRetries = 7)]""");

        Assert.Equal("StartRender:3 GetRender:7 CancelRender:3 ImportAsset:3 Upload:3 Health:3", MaxRetries(client));
    }

    [Fact]
    public void Selectors_on_one_attribute_must_all_match()
    {
        var client = StudioClient("""[RetryPolicy(Tag = "renders", HttpMethod = "DELETE", MaxRetries = 0)]""");

        Assert.Equal("StartRender:3 GetRender:3 CancelRender:0 ImportAsset:3 Upload:3 Health:3", MaxRetries(client));
    }

    [Fact]
    public void Group_selects_the_limits_of_that_group_only()
    {
        var client = StudioClient("""[RateLimit(1, Group = "uploads")]""");

        Assert.Equal(
            "StartRender:studio/POST 15 of 16, GetRender:studio/GET 300 of 310, CancelRender:studio/DELETE 300 of 310, "
            + "ImportAsset:studio/POST 15 of 16, Upload:uploads/PUT 1 of 3, Health:studio/GET 300 of 310",
            Ceilings(client));
    }

    [Fact]
    public void A_RateLimit_selected_through_one_operation_sets_the_ceiling_of_every_operation_under_its_limit()
    {
        // startRender and importAsset share the limit studio/POST: one limiter, one ceiling.
        var client = StudioClient("""[RateLimit(4, Operation = "startRender")]""");

        Assert.Equal(
            "StartRender:studio/POST 4 of 16, GetRender:studio/GET 300 of 310, CancelRender:studio/DELETE 300 of 310, "
            + "ImportAsset:studio/POST 4 of 16, Upload:uploads/PUT 2 of 3, Health:studio/GET 300 of 310",
            Ceilings(client));
    }

    [Fact]
    public void A_RateLimit_by_tag_sets_the_limits_the_tagged_operations_use()
    {
        // The renders operations use studio POST, GET and DELETE; health shares studio/GET.
        var client = StudioClient("""[RateLimit(9, Tag = "renders")]""");

        Assert.Equal(
            "StartRender:studio/POST 9 of 16, GetRender:studio/GET 9 of 310, CancelRender:studio/DELETE 9 of 310, "
            + "ImportAsset:studio/POST 9 of 16, Upload:uploads/PUT 2 of 3, Health:studio/GET 9 of 310",
            Ceilings(client));
    }

    // Merging over the document's rule.
    [Fact]
    public void An_attribute_changes_only_the_members_it_sets()
    {
        var client = StudioClient("[RetryPolicy(MaxRetries = 5)]");

        var retry = client.Policy("GetRender").Retry!;
        Assert.Equal(5, retry.MaxRetries);
        Assert.Equal(new[] { 500 }, retry.Statuses);
        Assert.Equal(new[] { 5 }, retry.StatusRanges);
        Assert.Equal(BackoffKind.Linear, retry.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), retry.MaxDelay);
        Assert.False(retry.Jitter);
        Assert.True(retry.RespectRetryAfter);
    }

    [Fact]
    public void Statuses_replace_the_documents_statuses_and_status_classes()
    {
        var client = StudioClient("[RetryPolicy(Statuses = new[] { 502, 503 })]");

        var retry = client.Policy("Health").Retry!;
        Assert.Equal(new[] { 502, 503 }, retry.Statuses);
        Assert.Empty(retry.StatusRanges);
        Assert.False(retry.Allows(500));
        Assert.Equal(3, retry.MaxRetries);
    }

    [Fact]
    public void The_most_specific_attribute_wins_member_by_member()
    {
        var client = StudioClient("""
            [RetryPolicy(MaxRetries = 1, Jitter = true)]
            [RetryPolicy(HttpMethod = "GET", MaxRetries = 2, BaseDelaySeconds = 4)]
            [RetryPolicy(Tag = "renders", MaxRetries = 3, Backoff = BackoffKind.Constant)]
            [RetryPolicy(Operation = "getRender", MaxRetries = 4)]
            """);

        Assert.Equal("StartRender:3 GetRender:4 CancelRender:3 ImportAsset:1 Upload:1 Health:2", MaxRetries(client));
        var getRender = client.Policy("GetRender").Retry!;
        Assert.Equal(TimeSpan.FromSeconds(4), getRender.BaseDelay); // from HttpMethod
        Assert.Equal(BackoffKind.Constant, getRender.Backoff); // from Tag
        Assert.True(getRender.Jitter); // from the whole client
        Assert.Equal(TimeSpan.FromSeconds(20), getRender.MaxDelay); // from the document
        Assert.Equal(TimeSpan.FromSeconds(2), client.Policy("StartRender").Retry!.BaseDelay);
    }

    [Fact]
    public void The_order_of_the_attributes_does_not_matter()
    {
        var client = StudioClient("""
            [RetryPolicy(Operation = "getRender", MaxRetries = 4)]
            [RetryPolicy(Tag = "renders", MaxRetries = 3)]
            [RetryPolicy(MaxRetries = 1)]
            """);

        Assert.Equal("StartRender:3 GetRender:4 CancelRender:3 ImportAsset:1 Upload:1 Health:1", MaxRetries(client));
    }

    [Fact]
    public void Equally_specific_attributes_that_set_different_members_combine()
    {
        var client = StudioClient("""
            [RetryPolicy(MaxRetries = 6)]
            [RetryPolicy(RespectRetryAfter = false)]
            """);

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        var retry = client.Policy("Upload").Retry!;
        Assert.Equal(6, retry.MaxRetries);
        Assert.False(retry.RespectRetryAfter);
    }

    [Fact]
    public void Without_an_x_retry_an_attribute_starts_from_the_x_retry_defaults_and_only_where_it_applies()
    {
        var client = BareClient("""[RetryPolicy(Operation = "ping", Statuses = new[] { 503 })]""");

        var retry = client.Policy("Ping").Retry!;
        Assert.Equal(new[] { 503 }, retry.Statuses);
        Assert.Equal(3, retry.MaxRetries);
        Assert.Equal(BackoffKind.Exponential, retry.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), retry.MaxDelay);
        Assert.True(retry.Jitter);
        Assert.True(retry.RespectRetryAfter);
        Assert.Null(client.Policy("Send").Retry);
    }

    // Rate limits: up to the hard limit, never beyond.
    [Fact]
    public void A_RateLimit_may_raise_a_ceiling_to_the_hard_limit()
    {
        var client = StudioClient("""[RateLimit(16, Group = "studio", HttpMethod = "POST")]""");

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        var limit = Assert.Single(client.Policy("StartRender").RateLimits);
        Assert.Equal((16, 15, 16, TimeSpan.FromSeconds(3)), (limit.Limit, limit.Soft, limit.Hard, limit.Window));
        Assert.Equal(300, Assert.Single(client.Policy("GetRender").RateLimits).Limit);
    }

    [Fact]
    public void A_RateLimit_above_the_hard_limit_is_CND1012_at_the_attribute_and_the_soft_limit_stays()
    {
        var client = StudioClient(
            """[{|CND1012:RateLimit(17, Group = "studio", HttpMethod = "POST")|}]""",
            out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Equal(
            "[RateLimit(17)] on 'StudioClient' asks for 17 requests per 3 s for studio POST, above the service's hard limit of 16. Use at most 16; the default is the soft limit, 15.",
            client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.True(client.Result.CompileProblems.All(d => d.Id == "CND1012"), client.Result.Describe(client.Result.CompileProblems));
        Assert.Equal(15, client.Policy("StartRender").RateLimits.Single().Limit);
    }

    [Fact]
    public void A_diagnostic_at_an_attribute_is_in_source_where_code_fixes_and_pragmas_reach_it()
    {
        var client = StudioClient("""[RateLimit(17, Group = "studio", HttpMethod = "POST")]""", out _);

        var location = client.Result.GeneratorDiagnostics.Single().Location;
        Assert.True(location.IsInSource);
        Assert.Contains(location.SourceTree, client.Result.Output.SyntaxTrees);
        Assert.Equal("RateLimit(17, Group = \"studio\", HttpMethod = \"POST\")", location.SourceTree!.GetText().ToString(location.SourceSpan));
    }

    [Fact]
    public void A_RateLimit_that_selects_every_limit_is_CND1011()
    {
        // One number for studio POST (16), studio GET (310) and uploads PUT (3) is not what anyone means.
        var client = StudioClient("[{|CND1011:RateLimit(20)|}]", out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("it selects every limit of the document; select the ones it sets with Group and HttpMethod", client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.Equal(
            "StartRender:studio/POST 15 of 16, GetRender:studio/GET 300 of 310, CancelRender:studio/DELETE 300 of 310, "
            + "ImportAsset:studio/POST 15 of 16, Upload:uploads/PUT 2 of 3, Health:studio/GET 300 of 310",
            Ceilings(client));
    }

    [Fact]
    public void A_RetryPolicy_without_statuses_where_the_document_names_none_is_CND1011()
    {
        // Nothing would be retried: say so rather than let MaxRetries = 2 mean nothing.
        var client = BareClient("[{|CND1011:RetryPolicy(MaxRetries = 2)|}]", out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("names no Statuses, and the document gives none for it: nothing would be retried", client.Result.GeneratorDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void WindowSeconds_defines_a_limit_where_the_document_has_none_named_after_the_client()
    {
        var client = BareClient("[RateLimit(5, WindowSeconds = 2)]");

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        var ping = Assert.Single(client.Policy("Ping").RateLimits);
        Assert.Equal(("App.BareClient", "GET", TimeSpan.FromSeconds(2), 5, 5, 5), (ping.Group, ping.Method, ping.Window, ping.Soft, ping.Hard, ping.Limit));
        var send = Assert.Single(client.Policy("Send").RateLimits);
        Assert.Equal(("App.BareClient", "POST"), (send.Group, send.Method));
    }

    [Fact]
    public void WindowSeconds_with_selectors_defines_a_named_limit_for_the_selected_operations_only()
    {
        var client = BareClient("""[RateLimit(1, WindowSeconds = 0.5, Group = "outbox", HttpMethod = "POST")]""");

        var send = Assert.Single(client.Policy("Send").RateLimits);
        Assert.Equal(("outbox", "POST", TimeSpan.FromSeconds(0.5), 1), (send.Group, send.Method, send.Window, send.Limit));
        Assert.Empty(client.Policy("Ping").RateLimits);
    }

    [Fact]
    public void WindowSeconds_leaves_the_documents_limits_alone()
    {
        var client = MixedClient("[RateLimit(5, WindowSeconds = 1)]");

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        Assert.Equal(
            "ListItems:mixed/GET 10 of 12, AddItem:App.MixedClient/POST 5 of 5, ListTags:App.MixedClient/GET 5 of 5, AddTag:App.MixedClient/POST 5 of 5",
            Ceilings(client, "ListItems", "AddItem", "ListTags", "AddTag"));
    }

    [Fact]
    public void WindowSeconds_where_every_selected_operation_has_a_limit_is_CND1010()
    {
        var client = StudioClient("[{|CND1010:RateLimit(5, WindowSeconds = 1)|}]", out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("every operation it selects already has a rate limit in the document", client.Result.GeneratorDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void WindowSeconds_for_a_group_and_method_the_document_sizes_otherwise_is_CND1011()
    {
        // listTags would join the document's limiter mixed/GET with another size: one limiter, one size.
        var client = MixedClient("""[{|CND1011:RateLimit(5, WindowSeconds = 1, Group = "mixed", HttpMethod = "GET")|}]""", out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("the group 'mixed' already has a limit for GET in the document (10 per 3 s, hard limit 12)", client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.Empty(client.Policy("ListTags").RateLimits);
    }

    [Theory]
    [InlineData("""
        [RateLimit(5, WindowSeconds = 1, Operation = "addItem")]
        [{|CND1013:RateLimit(6, WindowSeconds = 1, Operation = "addTag")|}]
        """)]
    [InlineData("""
        [RateLimit(5, WindowSeconds = 1, Operation = "addItem", HttpMethod = "POST")]
        [{|CND1013:RateLimit(5, WindowSeconds = 2, Operation = "addTag")|}]
        """)]
    [InlineData("""
        [RateLimit(6, WindowSeconds = 1, Operation = "addTag")]
        [{|CND1013:RateLimit(5, WindowSeconds = 1, Operation = "addItem")|}]
        """)]
    public void Two_RateLimits_that_define_one_limit_with_different_sizes_are_CND1013(string attributes)
    {
        // addItem and addTag are both POSTs of the client's own group: one limiter.
        var client = MixedClient(attributes, out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("define the limit 'App.MixedClient POST' with different sizes", client.Result.GeneratorDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void The_attribute_documentation_example_builds_on_the_Photoshop_document()
    {
        var result = GeneratorHarness.Run(
            """
            using Conduit;

            namespace MyApp;

            [OpenApiClient("openapi/photoshop.json")]
            [RetryPolicy(MaxRetries = 2)]                                  // every operation
            [RetryPolicy(Operation = "removeBackground", MaxRetries = 0)]  // never send this one twice
            [RateLimit(16, Group = "photoshop", HttpMethod = "POST")]      // up to the hard limit, at your own risk
            [RateLimit(1, Group = "remove-background", HttpMethod = "POST")]
            public partial class PhotoshopClient;
            """,
            ("openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json")));
        var client = new GeneratedClient(result, "MyApp.PhotoshopClient");

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal((2, 16), (client.Policy("CreateComposite").Retry!.MaxRetries, client.Policy("CreateComposite").RateLimits.Single().Limit));
        Assert.Equal((0, 1), (client.Policy("RemoveBackground").Retry!.MaxRetries, client.Policy("RemoveBackground").RateLimits.Single().Limit));
        Assert.Equal((2, 300), (client.Policy("GetJobStatus").Retry!.MaxRetries, client.Policy("GetJobStatus").RateLimits.Single().Limit));
        Assert.Equal(new[] { 500, 502, 503, 504 }, client.Policy("RemoveBackground").Retry!.Statuses);
    }

    [Fact]
    public void Attributes_on_another_part_of_the_partial_class_apply()
    {
        var compilation = GeneratorHarness.Compilation(
            "using Conduit; namespace App; [OpenApiClient(\"studio.yaml\")] public partial class StudioClient;",
            "using Conduit; namespace App; [RetryPolicy(Tag = \"ops\", MaxRetries = 0)] public partial class StudioClient { }");
        var driver = GeneratorHarness.Driver(new[] { new GeneratorHarness.Document(GeneratorHarness.ProjectDirectory + "studio.yaml", Studio) })
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = new GenerationResult(driver.GetRunResult(), output, diagnostics);

        Assert.Equal("StartRender:3 GetRender:3 CancelRender:3 ImportAsset:3 Upload:3 Health:0", MaxRetries(new GeneratedClient(result, "App.StudioClient")));
    }

    // Attributes that cannot be used: reported at the attribute, dropped, the rest of the client generated.
    [Theory]
    [InlineData("""[{|CND1010:RetryPolicy(Operation = "getRenders", MaxRetries = 1)|}]""", "the document has no operation 'getRenders' (by operationId or method name; it has 'getRender', 'startRender', 'cancelRender', 'health', 'upload', 'importAsset')")]
    [InlineData("""[{|CND1010:RetryPolicy(Tag = "render", MaxRetries = 1)|}]""", "no operation has the tag 'render' (the document's tags include 'renders', 'assets', 'ops')")]
    [InlineData("""[{|CND1010:RateLimit(1, Group = "upload")|}]""", "the document has no rate-limit group 'upload' (it has 'uploads', 'studio'); set WindowSeconds to define a limit of your own")]
    [InlineData("""[{|CND1010:RetryPolicy(Tag = "ops", HttpMethod = "POST", MaxRetries = 1)|}]""", "no operation matches all of its selectors (Operation, Tag, HttpMethod, Group) together")]
    [InlineData("""[{|CND1010:RateLimit(1, Group = "uploads", HttpMethod = "POST")|}]""", "no operation matches all of its selectors")]
    public void An_attribute_that_selects_nothing_is_CND1010_and_says_what_exists(string attribute, string message)
    {
        var client = StudioClient(attribute, out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("selects no operation: " + message, client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.Equal("StartRender:3 GetRender:3 CancelRender:3 ImportAsset:3 Upload:3 Health:3", MaxRetries(client));
    }

    [Fact]
    public void CND1010_for_an_unknown_operation_lists_the_closest_names_first_so_that_a_typo_shows_its_fix()
    {
        var client = Client("PhotoshopClient", "openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json"), """[RetryPolicy(Operation = "removeBackgrounds", MaxRetries = 0)]""");

        var message = Assert.Single(client.Result.GeneratorDiagnostics).GetMessage();
        Assert.Contains("the document has no operation 'removeBackgrounds' (by operationId or method name; it has 'removeBackground', 'getRemoveBackgroundStatus', ", message);
        Assert.EndsWith(", ...)", message);
    }

    [Fact]
    public void A_RateLimit_for_a_document_without_limits_is_CND1010_and_suggests_WindowSeconds()
    {
        var client = BareClient("""[{|CND1010:RateLimit(3, HttpMethod = "GET")|}]""", out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("the document declares no rate limit to set a ceiling for; set WindowSeconds to define one", client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.Empty(client.Policy("Ping").RateLimits);
    }

    [Theory]
    [InlineData("[{|CND1011:RetryPolicy(MaxRetries = 11)|}]", "MaxRetries = 11 is outside 0..10")]
    [InlineData("[{|CND1011:RetryPolicy(MaxRetries = -1)|}]", "MaxRetries = -1 is outside 0..10")]
    [InlineData("[{|CND1011:RetryPolicy(Statuses = new[] { 503, 99 })|}]", "Statuses lists 99, which is not an HTTP status (100 to 599)")]
    [InlineData("[{|CND1011:RetryPolicy(Statuses = new[] { 600 })|}]", "Statuses lists 600, which is not an HTTP status (100 to 599)")]
    [InlineData("[{|CND1011:RetryPolicy(Statuses = new[] { 0 })|}]", "Statuses lists 0, which is not an HTTP status (100 to 599)")]
    [InlineData("[{|CND1011:RetryPolicy(Backoff = (BackoffKind)7)|}]", "Backoff must be BackoffKind.Exponential, Linear or Constant")]
    [InlineData("[{|CND1011:RetryPolicy(BaseDelaySeconds = 0)|}]", "BaseDelaySeconds = 0 must be greater than 0")]
    [InlineData("[{|CND1011:RetryPolicy(BaseDelaySeconds = double.NaN)|}]", "BaseDelaySeconds = NaN must be greater than 0")]
    [InlineData("[{|CND1011:RetryPolicy(BaseDelaySeconds = 2, MaxDelaySeconds = 1.5)|}]", "MaxDelaySeconds = 1.5 must be greater than 0 and no less than BaseDelaySeconds")]
    [InlineData("[{|CND1011:RetryPolicy(MaxDelaySeconds = 0)|}]", "MaxDelaySeconds = 0 must be greater than 0 and no less than BaseDelaySeconds")]
    [InlineData("""[{|CND1011:RetryPolicy(HttpMethod = "FETCH", MaxRetries = 1)|}]""", "HttpMethod \"FETCH\" is not an HTTP method; use GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH or TRACE")]
    [InlineData("""[{|CND1011:RateLimit(0, Group = "studio")|}]""", "a limit of 0 requests per window lets nothing through; give at least 1")]
    [InlineData("""[{|CND1011:RateLimit(1, WindowSeconds = 0)|}]""", "WindowSeconds = 0 must be greater than 0")]
    public void An_invalid_value_is_CND1011_at_the_attribute_and_the_attribute_is_dropped(string attribute, string message)
    {
        var client = StudioClient(attribute, out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.EndsWith(" on 'StudioClient': " + message, client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.Equal("StartRender:3 GetRender:3 CancelRender:3 ImportAsset:3 Upload:3 Health:3", MaxRetries(client));
        Assert.Equal(new[] { 500 }, client.Policy("Health").Retry!.Statuses);
        Assert.Equal(15, client.Policy("StartRender").RateLimits.Single().Limit);
    }

    [Theory]
    [InlineData("[{|CND1011:RetryPolicy(BaseDelaySeconds = double.PositiveInfinity)|}]", "BaseDelaySeconds is longer than a day; the retry pipeline (Polly) accepts delays of at most 86400 seconds")]
    [InlineData("[{|CND1011:RetryPolicy(BaseDelaySeconds = 86400.5, MaxDelaySeconds = 90000)|}]", "BaseDelaySeconds is longer than a day")]
    [InlineData("[{|CND1011:RetryPolicy(MaxDelaySeconds = 1e300)|}]", "MaxDelaySeconds is longer than a day")]
    [InlineData("[{|CND1011:RateLimit(1, WindowSeconds = double.PositiveInfinity)|}]", "WindowSeconds is longer than a TimeSpan can hold")]
    [InlineData("[{|CND1011:RateLimit(1, WindowSeconds = 1e300)|}]", "WindowSeconds is longer than a TimeSpan can hold")]
    public void A_duration_the_runtime_cannot_use_is_CND1011_not_a_client_that_fails(string attribute, string message)
    {
        var client = StudioClient(attribute, out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains(message, client.Result.GeneratorDiagnostics.Single().GetMessage());
        Assert.True(client.Result.CompileProblems.All(d => d.Id == "CND1011"), client.Result.Describe(client.Result.CompileProblems));
        Assert.Equal(TimeSpan.FromSeconds(2), client.Policy("Health").Retry!.BaseDelay);
    }

    [Fact]
    public void Two_equally_specific_RetryPolicies_that_disagree_are_CND1013_at_the_second()
    {
        var client = StudioClient("""
            [RetryPolicy(Tag = "renders", MaxRetries = 1)]
            [{|CND1013:RetryPolicy(Tag = "renders", MaxRetries = 2)|}]
            """,
            out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Equal(
            "Two [RetryPolicy] attributes on 'StudioClient' are equally specific for 'startRender' and set MaxRetries differently; make one of them more specific (Operation beats Tag beats Group beats HttpMethod, and more of them beat fewer) or remove one.",
            client.Result.GeneratorDiagnostics.Single().GetMessage());
    }

    [Theory]
    [InlineData("""
        [RateLimit(4, Operation = "startRender")]
        [{|CND1013:RateLimit(8, Operation = "importAsset")|}]
        """)]
    [InlineData("""
        [RateLimit(8, Operation = "importAsset")]
        [{|CND1013:RateLimit(4, Operation = "startRender")|}]
        """)]
    public void Two_RateLimits_for_operations_under_one_limit_that_disagree_are_CND1013_at_the_later(string attributes)
    {
        // startRender and importAsset share studio/POST: a limiter has one ceiling.
        var client = StudioClient(attributes, out var source);

        Markup.AssertReported(client.Result, ("Source0.cs", source));
        Assert.Contains("for 'studio POST' and set the limit differently", client.Result.GeneratorDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void Equally_specific_attributes_that_agree_are_not_a_conflict()
    {
        var client = StudioClient("""
            [RetryPolicy(HttpMethod = "GET", MaxRetries = 1)]
            [RetryPolicy(HttpMethod = "get", MaxRetries = 1, Jitter = true)]
            [RateLimit(4, Operation = "startRender")]
            [RateLimit(4, Operation = "importAsset")]
            """);

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        Assert.Equal("StartRender:3 GetRender:1 CancelRender:3 ImportAsset:3 Upload:3 Health:1", MaxRetries(client));
        Assert.Equal(4, client.Policy("ImportAsset").RateLimits.Single().Limit);
    }

    [Fact]
    public void An_attribute_with_more_selectors_is_more_specific_than_one_with_fewer_of_the_same_rank()
    {
        // Tag + HttpMethod selects fewer operations than Tag alone: it wins for those, with no conflict.
        var client = StudioClient("""
            [RetryPolicy(Tag = "renders", MaxRetries = 1)]
            [RetryPolicy(Tag = "renders", HttpMethod = "POST", MaxRetries = 0)]
            """);

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        Assert.Equal("StartRender:0 GetRender:1 CancelRender:1 ImportAsset:3 Upload:3 Health:3", MaxRetries(client));
    }

    [Fact]
    public void A_RateLimit_for_a_group_and_method_beats_one_for_the_whole_group()
    {
        var client = StudioClient("""
            [RateLimit(200, Group = "studio")]
            [RateLimit(16, Group = "studio", HttpMethod = "POST")]
            """);

        Assert.True(client.Result.GeneratorDiagnostics.IsEmpty, client.Result.Describe(client.Result.GeneratorDiagnostics));
        Assert.Equal(
            "StartRender:studio/POST 16 of 16, GetRender:studio/GET 200 of 310, CancelRender:studio/DELETE 200 of 310, "
            + "ImportAsset:studio/POST 16 of 16, Upload:uploads/PUT 2 of 3, Health:studio/GET 200 of 310",
            Ceilings(client));
    }

    [Fact]
    public void A_RateLimit_whose_limit_is_still_being_typed_does_not_break_generation()
    {
        // [RateLimit] without its limit is a compiler error (CS7036) while the user types; the generator must not fail on it.
        var client = StudioClient("""[RateLimit(Group = "studio")]""");

        Assert.DoesNotContain(client.Result.GeneratorDiagnostics, d => d.Id is "CND1002" or "CND1009");
        Assert.NotEmpty(client.Result.Sources);
        Assert.Contains(client.Result.Output.GetDiagnostics(), d => d.Id == "CS7036");
    }

    private static GeneratedClient StudioClient(string attributes) => Client("StudioClient", "studio.yaml", Studio, attributes);

    private static GeneratedClient StudioClient(string attributes, out Markup source)
    {
        source = Markup.Parse(Source("StudioClient", "studio.yaml", attributes));
        return new GeneratedClient(GeneratorHarness.Run(source.Text, ("studio.yaml", Studio)), "App.StudioClient");
    }

    private static GeneratedClient BareClient(string attributes) => Client("BareClient", "bare.yaml", Bare, attributes);

    private static GeneratedClient BareClient(string attributes, out Markup source)
    {
        source = Markup.Parse(Source("BareClient", "bare.yaml", attributes));
        return new GeneratedClient(GeneratorHarness.Run(source.Text, ("bare.yaml", Bare)), "App.BareClient");
    }

    private static GeneratedClient MixedClient(string attributes) => Client("MixedClient", "mixed.yaml", Mixed, attributes);

    private static GeneratedClient MixedClient(string attributes, out Markup source)
    {
        source = Markup.Parse(Source("MixedClient", "mixed.yaml", attributes));
        return new GeneratedClient(GeneratorHarness.Run(source.Text, ("mixed.yaml", Mixed)), "App.MixedClient");
    }

    private static GeneratedClient Client(string name, string path, string document, string attributes)
        => new(GeneratorHarness.Run(Source(name, path, attributes), (path, document)), "App." + name);

    /// <summary>The user's client class: [OpenApiClient] first, then the attributes under test, one per line.</summary>
    private static string Source(string name, string path, string attributes) => $$"""
        using Conduit;
        using Conduit.Policies;

        namespace App;

        [OpenApiClient("{{path}}")]
        {{attributes}}
        public partial class {{name}};
        """;

    /// <summary>"StartRender:3 GetRender:3 ...": each Studio operation's MaxRetries, in document order.</summary>
    private static string MaxRetries(GeneratedClient client)
        => string.Join(" ", StudioOperations.Select(o => o + ":" + client.Policy(o).Retry?.MaxRetries));

    /// <summary>"StartRender:studio/POST 15 of 16, ...": each operation's limit (the Studio operations by default), its ceiling and the hard limit.</summary>
    private static string Ceilings(GeneratedClient client, params string[] operations)
        => string.Join(", ", (operations.Length > 0 ? operations : StudioOperations).Select(o => o + ":" + string.Join(" ", client.Policy(o).RateLimits.Select(l => $"{l.Group}/{l.Method} {l.Limit} of {l.Hard}"))));
}
