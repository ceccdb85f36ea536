using System;

namespace Conduit;

/// <summary>
/// Marks a <c>partial</c> class as a client for the operations of an OpenAPI document. At compile time
/// Conduit's generator reads the document, which must be an <c>AdditionalFiles</c> item of the project,
/// and adds to the class one asynchronous method per operation, an interface for mocking, models with
/// their JSON metadata, and a dependency-injection extension.
/// </summary>
/// <example>
/// <code>
/// [OpenApiClient("openapi/photoshop.json")]
/// public partial class PhotoshopClient;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OpenApiClientAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="document">
    /// The path of the OpenAPI document (JSON or YAML), relative to the project directory, with either
    /// slash. It must be included in the project as an <c>AdditionalFiles</c> item.
    /// </param>
    public OpenApiClientAttribute(string document) => Document = document;

    /// <summary>The path of the OpenAPI document, relative to the project directory.</summary>
    public string Document { get; }

    /// <summary>
    /// The namespace of the generated models. Defaults to the client's namespace followed by the
    /// client's name without its <c>Client</c> suffix and with <c>Models</c> appended
    /// (<c>PhotoshopClient</c> in <c>MyApp</c> gives <c>MyApp.PhotoshopModels</c>).
    /// </summary>
    public string? ModelsNamespace { get; set; }
}
