using Conduit.Generators.Helpers;

namespace Conduit.Generators.Model;

internal enum PrimitiveKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    TimeSpan,
    Guid,
    Uri,
    Bytes,
    Any,
}

internal enum TypeRefKind
{
    Primitive,
    Named,
    List,
    Map,
}

/// <summary>A use of a type: a primitive, a generated type by name, or a container of either.</summary>
internal sealed record TypeRef(TypeRefKind Kind, PrimitiveKind Primitive, string? Name, TypeRef? Element, bool IsValueType)
{
    public static TypeRef Of(PrimitiveKind primitive) => new(
        TypeRefKind.Primitive,
        primitive,
        null,
        null,
        primitive is not (PrimitiveKind.String or PrimitiveKind.Uri or PrimitiveKind.Bytes));

    public static TypeRef Named(string name, bool isValueType) => new(TypeRefKind.Named, default, name, null, isValueType);

    public static TypeRef ListOf(TypeRef element) => new(TypeRefKind.List, default, null, element, false);

    public static TypeRef MapOf(TypeRef value) => new(TypeRefKind.Map, default, null, value, false);

    public static readonly TypeRef Any = Of(PrimitiveKind.Any);
}

internal enum TypeModelKind
{
    Object,
    Enum,
    Union,
}

/// <summary>A type the client generates: an object model, an extensible string enum, or a union.</summary>
internal sealed record TypeModel(
    TypeModelKind Kind,
    string Name,
    string JsonName,
    string? Summary,
    string? Description,
    bool Deprecated,
    EquatableArray<PropertyModel> Properties,
    TypeRef? AdditionalProperties,
    EquatableArray<EnumValueModel> EnumValues,
    EquatableArray<VariantModel> Variants,
    string? Discriminator);

internal sealed record PropertyModel(
    string Name,
    string JsonName,
    TypeRef Type,
    bool Required,
    bool Nullable,
    bool ReadOnly,
    string? Description,
    bool Deprecated,
    int? FileInputs = null);

internal sealed record EnumValueModel(string Name, string Value, string? Description);

/// <summary>One shape of a union; <see cref="DiscriminatorValues"/> name it in the discriminator property.</summary>
internal sealed record VariantModel(string Name, TypeRef Type, EquatableArray<string> DiscriminatorValues);
