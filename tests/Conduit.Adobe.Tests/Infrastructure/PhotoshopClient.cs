using Conduit;

namespace Conduit.Adobe.Tests;

/// <summary>The generated Photoshop client: its <c>Webhooks.PhotoshopJobStatus</c> types the events.</summary>
[OpenApiClient("../../openapi/photoshop.json")]
public partial class PhotoshopClient;
