using Conduit;

namespace Conduit.Throughput;

/// <summary>The Photoshop client, generated from the repository's document.</summary>
[OpenApiClient("../../openapi/photoshop.json", ModelsNamespace = "Conduit.Throughput.PhotoshopModels")]
public partial class PhotoshopClient;
