using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.CallBenchmarks;

/// <summary>
/// The baseline: the two calls written by hand as a careful engineer would, with System.Text.Json's
/// source-generated metadata. Answers are read as a stream once the headers are in (no extra buffering),
/// and a failed status throws.
/// </summary>
public sealed class HandWrittenClient(HttpClient http)
{
    /// <summary><c>GET /items/{id}</c>.</summary>
    public async Task<Item> GetItemAsync(long id, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync(string.Create(CultureInfo.InvariantCulture, $"items/{id}"), ItemJsonContext.Default.Item, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The answer was null.");

    /// <summary><c>POST /items</c>.</summary>
    public async Task<Item> CreateItemAsync(Item item, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "items") { Content = JsonContent.Create(item, ItemJsonContext.Default.Item) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(ItemJsonContext.Default.Item, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The answer was null.");
    }
}
