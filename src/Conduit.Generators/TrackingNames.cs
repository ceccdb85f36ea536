namespace Conduit.Generators;

/// <summary>The names of the generator's pipeline steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    /// <summary>Classes marked [OpenApiClient], read into <see cref="Model.ClientTarget"/>.</summary>
    public const string Clients = nameof(Clients);

    /// <summary>The project directory, from the build's global options.</summary>
    public const string ProjectDirectory = nameof(ProjectDirectory);

    /// <summary>Each JSON or YAML AdditionalFiles item, parsed.</summary>
    public const string Documents = nameof(Documents);

    /// <summary>Each client's model, built from its document.</summary>
    public const string Models = nameof(Models);

    /// <summary>The models, without diagnostics, as the emitter receives them.</summary>
    public const string Emit = nameof(Emit);
}
