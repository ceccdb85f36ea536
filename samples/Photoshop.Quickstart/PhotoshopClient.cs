using Conduit;

// The whole client: Conduit's generator reads the document (an AdditionalFiles item of this
// project) at compile time and adds one async method per operation, models in PhotoshopModels,
// an IPhotoshopClient interface and services.AddPhotoshopClient(...).
[OpenApiClient("../../openapi/photoshop.json")]
public partial class PhotoshopClient;
