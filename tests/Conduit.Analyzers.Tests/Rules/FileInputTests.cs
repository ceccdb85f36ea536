using System.Threading.Tasks;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Conduit.Generators.Analyzers.FileInputAnalyzer, Conduit.CodeFixes.FileInputCodeFixer>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// CND3001: Photoshop's v1 psdService requests take one input file ([FileInput(MaxItems = 1)] on
/// <c>Inputs</c>); a second file is an asset for <c>options</c>, or a second request.
/// </summary>
public sealed class FileInputTests
{
    private const string Renditions = """
        public sealed class Renditions(IPhotoshopClient photoshop)
        {
            public async Task RenderAsync(PsdServiceInput first, PsdServiceInput second, IReadOnlyList<PsdServiceOutput> outputs, CancellationToken cancellationToken)
            {
                BODY
            }
        }
        """;

    private static string In(string body) => Renditions.Replace("BODY", body.Replace("\n", "\n        "));

    [Fact]
    public Task Two_files_in_a_collection_expression_become_one_request_each() => Verify.VerifyAsync(
        In("await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = {|CND3001:[first, second]|}, Outputs = outputs }, cancellationToken: cancellationToken);"),
        In("""
            foreach (var input in new PsdServiceInput[] { first, second })
            {
                await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = [input], Outputs = outputs }, cancellationToken: cancellationToken);
            }
            """));

    [Fact]
    public Task Arrays_and_lists_keep_their_form_in_the_fix() => Verify.VerifyAsync(
        In("""
            await photoshop.PsdServiceSmartObjectAsync(new PsdServiceRequest { Inputs = {|CND3001:new[] { first, second }|}, Outputs = outputs });
            await photoshop.PsdServiceTextAsync(new PsdServiceRequest { Inputs = {|CND3001:new PsdServiceInput[] { first, second, first }|}, Outputs = outputs }).ConfigureAwait(false);
            await photoshop.PsdServiceDepthBlurAsync(new PsdServiceRequest { Inputs = {|CND3001:new List<PsdServiceInput> { first, second }|}, Outputs = outputs });
            """),
        In("""
            foreach (var input in new PsdServiceInput[] { first, second })
            {
                await photoshop.PsdServiceSmartObjectAsync(new PsdServiceRequest { Inputs = new[] { input }, Outputs = outputs });
            }
            foreach (var input in new PsdServiceInput[] { first, second, first })
            {
                await photoshop.PsdServiceTextAsync(new PsdServiceRequest { Inputs = new PsdServiceInput[] { input }, Outputs = outputs }).ConfigureAwait(false);
            }
            foreach (var input in new PsdServiceInput[] { first, second })
            {
                await photoshop.PsdServiceDepthBlurAsync(new PsdServiceRequest { Inputs = new List<PsdServiceInput> { input }, Outputs = outputs });
            }
            """));

    [Fact]
    public Task A_list_built_with_Add_before_the_request_is_counted_but_not_fixed()
    {
        var source = In("""
            var inputs = new List<PsdServiceInput> { first };
            inputs.Add(second);
            inputs.AddRange([first, second]);
            var job = await photoshop.PsdServiceProductCropAsync(new PsdServiceRequest { Inputs = {|CND3001:inputs|}, Outputs = outputs });
            await job.WaitForCompletionAsync(cancellationToken);
            """);
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task A_count_known_through_a_local_array_or_a_spread_is_reported()
    {
        var source = In("""
            var pair = new[] { first, second };
            await photoshop.PsdServiceActionJsonAsync(new PsdServiceRequest { Inputs = {|CND3001:pair|}, Outputs = outputs });
            await photoshop.PsdServiceActionJsonAsync(new PsdServiceRequest { Inputs = {|CND3001:[first, .. pair]|}, Outputs = outputs });
            """);
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public async Task The_message_names_the_property_its_bound_and_the_count()
    {
        var test = Verify.Create(In("await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = {|#0:[first, second, .. Array.Empty<PsdServiceInput>()]|}, Outputs = outputs });"));
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult("CND3001", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithMessage("'PsdServiceRequest.Inputs' carries at most 1 input file(s) per request ([FileInput(MaxItems = 1)]), but at least 2 are given here; send one request per input file"));
        await test.RunAsync();
    }

    [Fact]
    public Task One_file_per_request_and_counts_that_are_not_certain_are_not_reported() => Verify.VerifyAsync(In("""
        await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = [first], Outputs = outputs });
        await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = new List<PsdServiceInput> { second }, Outputs = outputs });

        // Added in a loop or a branch, or handed to a method that may change it: not counted.
        var some = new List<PsdServiceInput>();
        foreach (var output in outputs)
        {
            some.Add(first);
        }

        if (outputs.Count > 1)
        {
            some.Add(second);
        }

        await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = some, Outputs = outputs });
        var picked = new List<PsdServiceInput> { first, second };
        Pick(picked);
        await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = picked, Outputs = outputs });
        await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = [.. some], Outputs = outputs });

        // An image input is one file by its shape.
        await photoshop.EditAsync(new EditRequest { Image = new ImageInput { Source = new FileSource { Url = first.Href } }, Outputs = [] });

        static void Pick(List<PsdServiceInput> inputs) => inputs.RemoveAt(1);
        """));

    [Fact]
    public Task A_request_whose_answer_is_used_is_reported_without_a_fix()
    {
        var source = In("""
            var job = await photoshop.PsdServiceRenditionCreateAsync(new PsdServiceRequest { Inputs = {|CND3001:[first, second]|}, Outputs = outputs });
            await job.WaitForCompletionAsync(cancellationToken);
            """);
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task A_with_expression_on_a_record_that_marks_its_inputs_is_reported() => Verify.VerifyAsync("""
        public sealed record Batch
        {
            [Conduit.Policies.FileInput(MaxItems = 1)]
            public IReadOnlyList<Uri> Inputs { get; init; } = [];

            public Batch Twice(Uri input) => this with { Inputs = {|CND3001:[input, input]|} };
        }
        """);

    [Fact]
    public Task Top_level_statements_get_a_loop_of_their_own() => Verify.VerifyAsync(
        """
        using App;

        var photoshop = new PhotoshopClient(new HttpClient());
        PsdServiceInput first = new() { Href = new Uri("https://bucket.s3.amazonaws.com/a.psd"), Storage = PsdServiceStorage.External };
        PsdServiceInput second = new() { Href = new Uri("https://bucket.s3.amazonaws.com/b.psd"), Storage = PsdServiceStorage.External };
        await photoshop.PsdServiceDocumentManifestAsync(new PsdServiceDocumentManifestRequest { Inputs = {|CND3001:[first, second]|} });

        """,
        """
        using App;

        var photoshop = new PhotoshopClient(new HttpClient());
        PsdServiceInput first = new() { Href = new Uri("https://bucket.s3.amazonaws.com/a.psd"), Storage = PsdServiceStorage.External };
        PsdServiceInput second = new() { Href = new Uri("https://bucket.s3.amazonaws.com/b.psd"), Storage = PsdServiceStorage.External };
        foreach (var input in new PsdServiceInput[] { first, second })
        {
            await photoshop.PsdServiceDocumentManifestAsync(new PsdServiceDocumentManifestRequest { Inputs = [input] });
        }

        """,
        topLevel: true);
}
