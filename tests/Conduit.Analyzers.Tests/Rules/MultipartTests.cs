using System;
using System.IO;
using System.Threading.Tasks;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Conduit.Generators.Analyzers.MultipartAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// CND3005: Photoshop takes files by URL and accepts no multipart transfer (x-multipart: false on every
/// operation), whether the body goes through a generated operation or the client's own HttpClient.
/// </summary>
public sealed class MultipartTests
{
    private const string Upload = """
        public sealed class Upload(IPhotoshopClient photoshop, Stream photo)
        {
            public async Task SendAsync(CancellationToken cancellationToken)
            {
                BODY
            }
        }
        """;

    private static string In(string body) => Upload.Replace("BODY", body.Replace("\n", "\n        "));

    [Fact]
    public Task Multipart_content_sent_through_the_client_s_HttpClient_is_reported() => Verify.VerifyAsync(In("""
        await photoshop.HttpClient.PostAsync("https://image.adobe.io/v2/remove-background", {|CND3005:new MultipartFormDataContent { { new StreamContent(photo), "image", "photo.jpg" } }|}, cancellationToken);
        var http = photoshop.HttpClient;
        await http.PutAsync("https://image.adobe.io/v2/remove-background", {|CND3005:new StringContent("--b--", System.Text.Encoding.UTF8, "multipart/form-data")|});
        var mixed = new MultipartContent("mixed");
        await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://photoshop-api.adobe.io/v2/edit") { Content = {|CND3005:mixed|} }, cancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Post, "https://photoshop-api.adobe.io/v2/edit");
        request.Content = {|CND3005:new ByteArrayContent([]) { Headers = { ContentType = new("multipart/related") } }|};
        await http.SendAsync(request, cancellationToken);
        """));

    [Fact]
    public Task Json_bodies_and_other_HttpClients_are_not_reported() => Verify.VerifyAsync(In("""
        await photoshop.HttpClient.PostAsync("https://image.adobe.io/v2/remove-background", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        using var storage = new HttpClient();
        await storage.PutAsync("https://bucket.s3.amazonaws.com/in/photo.jpg", new MultipartFormDataContent(), cancellationToken);
        """));

    [Fact]
    public async Task Multipart_content_given_to_an_operation_that_forbids_it_is_reported()
    {
        // A Swagger 2.0 form operation takes its body as HttpContent: URL-encoded is fine, multipart is not.
        var test = Verify.Create("""
            [OpenApiClient("openapi/assets.yaml")]
            public partial class AssetsClient;

            public static class Import
            {
                public static async Task RunAsync(AssetsClient assets)
                {
                    await assets.ImportAssetAsync({|CND3005:new MultipartFormDataContent { { new StringContent("https://example.com/a.png"), "url" } }|});
                    await assets.ImportAssetAsync(new FormUrlEncodedContent([new("url", "https://example.com/a.png")]));
                }
            }
            """);
        test.TestState.AdditionalFiles.Add(("/0/openapi/assets.yaml", await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Documents", "assets.yaml"))));
        await test.RunAsync();
    }
}
