using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Conduit.Json;

/// <summary>
/// The base of the JSON context Conduit generates for each client's models: hands System.Text.Json the
/// generated converters as <see cref="JsonTypeInfo"/> metadata, so <see cref="JsonSerializer"/> works on
/// the models with no reflection. (System.Text.Json's own generator never sees a context that another
/// generator emits, so Conduit writes the metadata itself.)
/// </summary>
public abstract class ConduitJsonContext : JsonSerializerContext
{
    private readonly ConcurrentDictionary<Type, JsonTypeInfo?> _infos = new();

    /// <summary>Creates the context and binds it to <paramref name="options"/>.</summary>
    /// <param name="options">The options to bind, or <see langword="null"/> for new default options.</param>
    protected ConduitJsonContext(JsonSerializerOptions? options)
        : base(options)
    {
    }

    /// <inheritdoc/>
    protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

    /// <inheritdoc/>
    public override JsonTypeInfo? GetTypeInfo(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _infos.GetOrAdd(type, static (t, self) => self.FindConverter(t)?.CreateTypeInfo(self.Options), this);
    }

    /// <summary>Returns the generated converter for <paramref name="type"/>, or <see langword="null"/>.</summary>
    /// <param name="type">A model, enum or union type of this client.</param>
    protected abstract IConduitConverter? FindConverter(Type type);
}
