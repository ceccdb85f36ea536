using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Photoshop.Emulator;

/// <summary>A request body that breaks the operation's schema, naming the member at fault.</summary>
internal sealed class InvalidBodyException(string member, string message, bool tooManyInputs = false) : Exception(message)
{
    /// <summary>The member at fault, as a path such as <c>image.source.url</c> or <c>outputs[1].mediaType</c>.</summary>
    public string Member { get; } = member;

    /// <summary>Whether the request has more than one input: 400 on both surfaces.</summary>
    public bool TooManyInputs { get; } = tooManyInputs;
}

/// <summary>
/// Reads members of a JSON object against a schema's rules, throwing <see cref="InvalidBodyException"/> at the
/// first member that breaks one. Knows the path it was reached by, so every message names the member.
/// </summary>
/// <param name="Node">The object.</param>
/// <param name="Path">How it was reached from the body's root; empty for the root.</param>
internal readonly record struct JsonBody(JsonObject Node, string Path)
{
    /// <summary>Whether the object has the member.</summary>
    public bool Has(string name) => Node[name] is not null;

    /// <summary>The path of a member of this object.</summary>
    public string MemberPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>A required object member.</summary>
    public JsonBody Object(string name) => OptionalObject(name) ?? throw Missing(name);

    /// <summary>An optional object member.</summary>
    public JsonBody? OptionalObject(string name) => Node[name] switch
    {
        null => null,
        JsonObject value => new JsonBody(value, MemberPath(name)),
        _ => throw new InvalidBodyException(MemberPath(name), $"`{MemberPath(name)}` must be an object."),
    };

    /// <summary>A required array member with <paramref name="min"/> to <paramref name="max"/> objects, read one by one.</summary>
    public IReadOnlyList<JsonBody> Objects(string name, int min, int max = int.MaxValue) =>
        OptionalObjects(name, min, max) ?? throw Missing(name);

    /// <summary>An optional array member with <paramref name="min"/> to <paramref name="max"/> objects, read one by one.</summary>
    public IReadOnlyList<JsonBody>? OptionalObjects(string name, int min, int max = int.MaxValue)
    {
        var member = MemberPath(name);
        if (Node[name] is null)
        {
            return null;
        }

        if (Node[name] is not JsonArray array)
        {
            throw new InvalidBodyException(member, $"`{member}` must be an array.");
        }

        if (array.Count < min || array.Count > max)
        {
            var bounds = max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw new InvalidBodyException(member, $"`{member}` has {array.Count} elements; it must have {bounds}.");
        }

        return [.. array.Select((item, i) => item is JsonObject element
            ? new JsonBody(element, $"{member}[{i}]")
            : throw new InvalidBodyException($"{member}[{i}]", $"`{member}[{i}]` must be an object."))];
    }

    /// <summary>A required member holding an absolute URL.</summary>
    public string Url(string name)
    {
        var text = String(name);
        return Uri.TryCreate(text, UriKind.Absolute, out _)
            ? text
            : throw new InvalidBodyException(MemberPath(name), $"`{MemberPath(name)}` must be an absolute URL; it is '{text}'.");
    }

    /// <summary>A required string member.</summary>
    public string String(string name) => OptionalString(name) ?? throw Missing(name);

    /// <summary>An optional string member.</summary>
    public string? OptionalString(string name) => Node[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new InvalidBodyException(MemberPath(name), $"`{MemberPath(name)}` must be a string."),
    };

    /// <summary>A required string member that must be one of <paramref name="allowed"/>.</summary>
    public string Enum(string name, IReadOnlyList<string> allowed) => OptionalEnum(name, allowed) ?? throw Missing(name);

    /// <summary>An optional string member that must be one of <paramref name="allowed"/>.</summary>
    public string? OptionalEnum(string name, IReadOnlyList<string> allowed)
    {
        var value = OptionalString(name);
        return value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new InvalidBodyException(MemberPath(name), $"`{MemberPath(name)}` is '{value}'; it must be one of {string.Join(", ", allowed)}.");
    }

    /// <summary>A number member within [<paramref name="min"/>, <paramref name="max"/>]; integers only when <paramref name="integer"/>.</summary>
    public void Number(string name, double min, double max, bool required = false, bool integer = false)
    {
        var member = MemberPath(name);
        if (Node[name] is null)
        {
            if (required)
            {
                throw Missing(name);
            }

            return;
        }

        var kind = integer ? "an integer" : "a number";
        if (Node[name] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number
            || !value.TryGetValue(out double number) || (integer && number != Math.Floor(number)))
        {
            throw new InvalidBodyException(member, $"`{member}` must be {kind}.");
        }

        if (number < min || number > max)
        {
            throw new InvalidBodyException(member, $"`{member}` is {number}; it must be {kind} from {min} to {max}.");
        }
    }

    /// <summary>An optional boolean member.</summary>
    public void OptionalBoolean(string name)
    {
        if (Node[name] is { } node && node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new InvalidBodyException(MemberPath(name), $"`{MemberPath(name)}` must be true or false.");
        }
    }

    private InvalidBodyException Missing(string name) => new(MemberPath(name), $"`{MemberPath(name)}` is required.");
}
