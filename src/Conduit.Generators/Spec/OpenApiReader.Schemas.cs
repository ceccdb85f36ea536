using System;
using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>Schemas: every JSON Schema construct a document uses becomes a type, exactly or by a reported approximation.</summary>
internal sealed partial class OpenApiReader
{
    private const int MaxReferenceHops = 64;

    /// <summary>
    /// Most schemas being read inside one another (through properties, items, unions, references): the walk is
    /// recursive, and a chain of thousands of schemas each holding the next must not exhaust the compiler's stack.
    /// </summary>
    private const int MaxSchemaDepth = 128;

    /// <summary>Most allOf and then/else levels flattened into one object.</summary>
    private const int MaxFlattenDepth = 32;

    private static readonly char[] PathSeparators = { '/', '\\' };
    private static readonly string[] ConditionalBranches = { "then", "else" };
    private static readonly string[] ReservedEnumMembers = { "Value", "Equals", "GetHashCode", "ToString", "GetType", "FromValue", "Deconstruct", "PrintMembers" };
    private static readonly string[] ReservedUnionMembers = { "JsonConverter", "Value", "Equals", "GetHashCode", "ToString", "GetType" };
    private static readonly string[] ReservedObjectMembers = { "JsonConverter", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize" };

    // Schemas already turned into types, by node identity: a schema reached twice (or through a
    // cycle) becomes one type, and a cycle ends at the name registered before its members were read.
    private readonly Dictionary<Node, TypeRef> _schemaTypes = new(NodeIdentity.Instance);
    private readonly Dictionary<Node, bool> _schemaNullability = new(NodeIdentity.Instance);
    private readonly HashSet<Node> _inProgress = new(NodeIdentity.Instance);
    // A model cannot be named like the converter nested in every model (CS0542). Names are unique
    // ignoring case: each becomes a file name, and hint names must differ in more than case.
    private readonly NameScope _typeNames = new(new[] { "JsonConverter" }, ignoreCase: true);
    private readonly List<TypeModel> _types = new();

    // Schemas reached through a $ref: they keep their own type. Inline schemas with the same shape as
    // an earlier inline schema share its type (documents repeat them: GitHub's has hundreds).
    private readonly HashSet<Node> _namedSchemas = new(NodeIdentity.Instance);
    private readonly Dictionary<TypeModel, TypeRef> _inlineShapes = new();

    // Each generated type's kind and schema, by name, for the questions operations ask about them.
    private readonly Dictionary<string, (TypeModelKind Kind, Node Schema)> _typesByName = new(StringComparer.Ordinal);

    /// <summary>The type of a schema, following <c>$ref</c>; <paramref name="nullable"/> says whether null is allowed.</summary>
    private TypeRef SchemaType(Located? schema, string nameHint, out bool nullable) => SchemaType(schema, nameHint, out nullable, out _);

    /// <summary>As above, also giving the schema the references lead to (null when they cannot be followed).</summary>
    private TypeRef SchemaType(Located? schema, string nameHint, out bool nullable, out Node? resolved)
    {
        nullable = false;
        resolved = null;
        if (schema is not { } place || place.Node.Kind != NodeKind.Object)
        {
            return TypeRef.Any;
        }

        var nullableHere = IsNullableMarker(place.Node);
        var target = Dereference(place, out var referenceName);
        if (target is null)
        {
            nullable = true;
            return TypeRef.Any;
        }

        resolved = target.Value.Node;

        if (referenceName is not null)
        {
            _namedSchemas.Add(target.Value.Node);
        }

        var type = Build(target.Value, referenceName ?? nameHint, out var nullableThere);
        nullable = nullableHere || nullableThere;
        return type;
    }

    /// <summary>Follows a chain of <c>$ref</c>s to the schema they name, reporting what cannot be followed.</summary>
    private Located? Dereference(Located place, out string? name, string consequence = "the value is typed as JsonElement")
    {
        name = null;
        for (var hop = 0; hop < MaxReferenceHops; hop++)
        {
            if (place.Node.Kind != NodeKind.Object || place.Node["$ref"] is not { Kind: NodeKind.String } reference)
            {
                return place;
            }

            var target = _documents.Resolve(place.Document, reference.Value!, out var error);
            if (target is null)
            {
                _diagnostics.At(Descriptors.UnresolvedReference, new Located(reference, place.Document), reference.Value!, error + "; " + consequence);
                return null;
            }

            name = NameFromReference(reference.Value!);
            place = target.Value;
        }

        _diagnostics.At(Descriptors.UnresolvedReference, place, "$ref", "the references form a loop with nothing else in them; " + consequence);
        return null;
    }

    private TypeRef Build(Located schema, string name, out bool nullable)
    {
        var node = schema.Node;
        if (_schemaTypes.TryGetValue(node, out var known))
        {
            nullable = _schemaNullability[node];
            return known;
        }

        if (_inProgress.Count >= MaxSchemaDepth)
        {
            // Not cached: reached at a shallower depth elsewhere, the same schema gets its own type.
            _diagnostics.At(Descriptors.SchemaTooDeep, schema, $"The schema '{name}' is nested more than {MaxSchemaDepth} schemas deep (through properties, items, unions or references); it is typed as JsonElement here. Break the chain, for example with a free-form object.");
            nullable = true;
            return TypeRef.Any;
        }

        if (!_inProgress.Add(node))
        {
            // A schema that contains itself without passing through a named type (an array of
            // itself, say) has no finite .NET type.
            _diagnostics.At(Descriptors.SchemaApproximated, schema, $"The schema '{name}' contains itself without an object in between; it is typed as JsonElement.");
            nullable = true;
            return TypeRef.Any;
        }

        try
        {
            _token.ThrowIfCancellationRequested();
            var type = Classify(schema, name, out nullable);
            _schemaTypes[node] = type;
            _schemaNullability[node] = nullable;
            return type;
        }
        finally
        {
            _inProgress.Remove(node);
        }
    }

    private TypeRef Classify(Located schema, string name, out bool nullable)
    {
        var node = schema.Node;
        var types = TypeNames(schema, out nullable);
        nullable |= IsNullableMarker(node);

        if (node["enum"] is { Kind: NodeKind.Array } values)
        {
            return EnumType(schema, name, types, values, ref nullable);
        }

        if (node["const"] is { } constant)
        {
            return ScalarFromValue(constant) ?? TypeRef.Any;
        }

        var union = node["oneOf"] ?? node["anyOf"];
        if (union is { Kind: NodeKind.Array } && !HasOwnShape(node))
        {
            return UnionType(schema, name, union, ref nullable);
        }

        if (node["allOf"] is { Kind: NodeKind.Array } all && all.Items.Count == 1 && !HasOwnShape(node) && union is null)
        {
            // "allOf: [ $ref ]" is how 3.0 documents add a description or nullable to a reference.
            var inner = SchemaType(new Located(all.Items[0], schema.Document), name, out var innerNullable);
            nullable |= innerNullable;
            return inner;
        }

        if (types.Count > 1)
        {
            _diagnostics.At(Descriptors.SchemaApproximated, schema, $"The schema '{name}' allows several types ({List(types)}); it is typed as JsonElement.");
            return TypeRef.Any;
        }

        var type = types.Count == 1 ? types[0] : null;
        if (type == "array" || (type is null && node["items"] is not null))
        {
            var items = node["items"];
            var element = SchemaType(items is null ? null : new Located(items, schema.Document), name + "Item", out _);
            return TypeRef.ListOf(element);
        }

        if (type == "object" || (type is null && IsObjectLike(node)))
        {
            return ObjectType(schema, name);
        }

        return type is null ? TypeRef.Any : ScalarType(type, node["format"]?.Value);
    }

    /// <summary>The schema's <c>type</c>s without <c>null</c> (3.1 arrays, 3.0 strings); null makes it nullable.</summary>
    private static List<string> TypeNames(Located schema, out bool nullable)
    {
        nullable = false;
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var type = schema.Node["type"];
        if (type is { Kind: NodeKind.String })
        {
            AddType(type.Value!, result, seen, ref nullable);
        }
        else if (type is { Kind: NodeKind.Array })
        {
            foreach (var item in type.Items)
            {
                if (item.Kind == NodeKind.String)
                {
                    AddType(item.Value!, result, seen, ref nullable);
                }
            }
        }

        return result;

        static void AddType(string name, List<string> types, HashSet<string> seen, ref bool nullable)
        {
            if (name == "null")
            {
                nullable = true;
            }
            else if (seen.Add(name))
            {
                types.Add(name);
            }
        }
    }

    /// <summary>
    /// A unique name for a type that always declares <paramref name="members"/>: a type cannot have a member of its own
    /// name (CS0542), so an enum named 'Value' or 'ToString' becomes 'ValueType' or 'ToStringType'.
    /// </summary>
    private string ClaimTypeName(string name, string[] members)
    {
        var pascal = Pascal(name);
        return _typeNames.Claim(Array.IndexOf(members, pascal) >= 0 ? pascal + "Type" : pascal);
    }

    /// <summary>Names for a message: all of a few, the first of many.</summary>
    private static string List(List<string> names) => names.Count <= 8
        ? string.Join(", ", names)
        : string.Join(", ", names.Take(8)) + $" and {names.Count - 8} more";

    private static bool IsNullableMarker(Node node) => node["nullable"]?.IsTrue == true || node["x-nullable"]?.IsTrue == true;

    private static bool IsObjectLike(Node node)
        => node["properties"] is not null || node["additionalProperties"] is not null || node["allOf"] is not null
        || node["if"] is not null || node["required"] is not null;

    /// <summary>Whether a schema with oneOf/anyOf/allOf also declares members of its own.</summary>
    private static bool HasOwnShape(Node node) => node["properties"] is { Kind: NodeKind.Object } properties && properties.Properties.Count > 0;

    private static TypeRef ScalarType(string type, string? format) => type switch
    {
        "string" => format switch
        {
            "date-time" => TypeRef.Of(PrimitiveKind.DateTimeOffset),
            "date" => TypeRef.Of(PrimitiveKind.DateOnly),
            "uuid" => TypeRef.Of(PrimitiveKind.Guid),
            "uri" => TypeRef.Of(PrimitiveKind.Uri),
            "byte" => TypeRef.Of(PrimitiveKind.Bytes),
            _ => TypeRef.Of(PrimitiveKind.String),
        },
        "integer" => format == "int32" ? TypeRef.Of(PrimitiveKind.Int32) : TypeRef.Of(PrimitiveKind.Int64),
        "number" => format switch
        {
            "float" => TypeRef.Of(PrimitiveKind.Single),
            "decimal" => TypeRef.Of(PrimitiveKind.Decimal),
            "int32" => TypeRef.Of(PrimitiveKind.Int32),
            "int64" => TypeRef.Of(PrimitiveKind.Int64),
            _ => TypeRef.Of(PrimitiveKind.Double),
        },
        "boolean" => TypeRef.Of(PrimitiveKind.Boolean),
        _ => TypeRef.Any,
    };

    private static TypeRef? ScalarFromValue(Node value) => value.Kind switch
    {
        NodeKind.String => TypeRef.Of(PrimitiveKind.String),
        NodeKind.Boolean => TypeRef.Of(PrimitiveKind.Boolean),
        NodeKind.Number => value.TryGetInt64(out _) ? TypeRef.Of(PrimitiveKind.Int64) : TypeRef.Of(PrimitiveKind.Double),
        _ => null,
    };

    private TypeRef EnumType(Located schema, string name, List<string> types, Node values, ref bool nullable)
    {
        var strings = new List<string>();
        var kinds = new HashSet<NodeKind>();
        foreach (var value in values.Items)
        {
            if (value.Kind == NodeKind.Null)
            {
                nullable = true;
                continue;
            }

            kinds.Add(value.Kind);
            if (value.Kind == NodeKind.String)
            {
                strings.Add(value.Value!);
            }
        }

        if (kinds.Count == 0)
        {
            return TypeRef.Any;
        }

        if (kinds.Count > 1 || !kinds.Contains(NodeKind.String) || (types.Count == 1 && types[0] != "string"))
        {
            // Numeric and boolean enums stay plain numbers and booleans: every value is kept, and the
            // allowed ones are listed in the documentation.
            if (kinds.Count == 1)
            {
                return types.Count == 1 ? ScalarType(types[0], schema.Node["format"]?.Value) : ScalarFromValue(values.Items.First(v => v.Kind != NodeKind.Null))!;
            }

            _diagnostics.At(Descriptors.SchemaApproximated, schema, $"The enum '{name}' mixes kinds of values; it is typed as JsonElement.");
            return TypeRef.Any;
        }

        var typeName = ClaimTypeName(name, ReservedEnumMembers);
        var memberNames = new NameScope(ReservedEnumMembers);
        memberNames.Claim(typeName);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<EnumValueModel>();
        foreach (var value in strings)
        {
            if (seen.Add(value))
            {
                members.Add(new EnumValueModel(memberNames.Claim(value.Length == 0 ? "Empty" : Pascal(value)), value, null));
            }
        }

        var type = TypeRef.Named(typeName, isValueType: true);
        return AddType(TypeModelKind.Enum, typeName, name, schema, type, enumValues: members);
    }

    private TypeRef UnionType(Located schema, string name, Node union, ref bool nullable)
    {
        var variants = new List<(TypeRef Type, Located Place)>();
        var distinct = new HashSet<TypeRef>();
        var index = 0;
        foreach (var member in union.Items)
        {
            index++;
            var place = new Located(member, schema.Document);
            if (IsNullSchema(member))
            {
                nullable = true;
                continue;
            }

            var type = SchemaType(place, name + "Option" + index, out var memberNullable);
            nullable |= memberNullable;
            if (distinct.Add(type))
            {
                variants.Add((type, place));
            }
        }

        if (variants.Count == 0)
        {
            return TypeRef.Any;
        }

        if (variants.Count == 1)
        {
            return variants[0].Type;
        }

        var typeName = ClaimTypeName(name, ReservedUnionMembers);
        var result = TypeRef.Named(typeName, isValueType: false);
        _schemaTypes[schema.Node] = result;
        _schemaNullability[schema.Node] = nullable;

        var discriminator = schema.Node["discriminator"] is { Kind: NodeKind.Object } d ? d["propertyName"]?.Value : null;
        var mapping = DiscriminatorMapping(schema);
        var propertyNames = new NameScope(ReservedUnionMembers);
        propertyNames.Claim(typeName);
        var models = new List<VariantModel>();
        foreach (var (type, place) in variants)
        {
            var values = new List<string>();
            if (discriminator is not null && type.Kind == TypeRefKind.Named)
            {
                var target = Dereference(place, out var referenceName);
                foreach (var pair in mapping)
                {
                    if (target is { } t && ReferenceEquals(pair.Value, t.Node))
                    {
                        values.Add(pair.Key);
                    }
                }

                if (values.Count == 0 && referenceName is not null)
                {
                    values.Add(referenceName);
                }
            }

            models.Add(new VariantModel(propertyNames.Claim(VariantName(type)), type, values.ToEquatableArray()));
        }

        return AddType(TypeModelKind.Union, typeName, name, schema, result, variants: models, discriminator: discriminator);
    }

    private List<KeyValuePair<string, Node>> DiscriminatorMapping(Located schema)
    {
        var result = new List<KeyValuePair<string, Node>>();
        if (schema.Node["discriminator"]?["mapping"] is { Kind: NodeKind.Object } mapping)
        {
            foreach (var entry in mapping.Properties)
            {
                if (entry.Value.Kind != NodeKind.String)
                {
                    continue;
                }

                var reference = entry.Value.Value!;
                var target = _documents.Resolve(schema.Document, reference.Contains("#") || reference.Contains("/") ? reference : "#/components/schemas/" + reference, out _);
                if (target is { } t)
                {
                    result.Add(new(entry.Name, t.Node));
                }
            }
        }

        return result;
    }

    private static string VariantName(TypeRef type) => type.Kind switch
    {
        TypeRefKind.Named => type.Name!,
        TypeRefKind.List => VariantName(type.Element!) + "List",
        TypeRefKind.Map => VariantName(type.Element!) + "Map",
        _ => type.Primitive == PrimitiveKind.Any ? "Json" : type.Primitive.ToString(),
    };

    private static bool IsNullSchema(Node node) => node["type"] is { Kind: NodeKind.String, Value: "null" };

    private TypeRef ObjectType(Located schema, string name)
    {
        var members = new ObjectMembers();
        CollectMembers(schema, name, members, members.Required, depth: 0);

        if (members.Properties.Count == 0)
        {
            if (members.Additional is { } valueSchema)
            {
                return TypeRef.MapOf(SchemaType(valueSchema, name + "Value", out _));
            }

            // No declared members: a free-form object, kept as JSON.
            return TypeRef.Any;
        }

        var typeName = _typeNames.Claim(Pascal(name));
        var result = TypeRef.Named(typeName, isValueType: false);
        _schemaTypes[schema.Node] = result;
        _schemaNullability[schema.Node] = false;

        var memberNames = new NameScope(ReservedObjectMembers);
        memberNames.Claim(typeName);
        var hasExtra = members.Additional is not null || members.AdditionalAllowed;
        if (hasExtra)
        {
            memberNames.Claim("AdditionalProperties");
        }

        var models = new List<PropertyModel>(members.Properties.Count);
        foreach (var (jsonName, propertySchema) in members.Properties)
        {
            var propertyType = SchemaType(propertySchema, typeName + Pascal(jsonName), out var propertyNullable, out var resolved);
            var target = resolved ?? propertySchema.Node;
            var readOnly = propertySchema.Node["readOnly"]?.IsTrue == true || target["readOnly"]?.IsTrue == true;
            var description = Text(propertySchema.Node, "description") ?? Text(propertySchema.Node, "title") ?? Text(target, "description");
            models.Add(new PropertyModel(
                memberNames.Claim(Pascal(jsonName)),
                jsonName,
                propertyType,
                members.Required.Contains(jsonName) && !readOnly,
                propertyNullable,
                readOnly,
                description,
                propertySchema.Node["deprecated"]?.IsTrue == true,
                propertySchema.Node["x-file-input"] is { } mark ? FileInputs(new Located(mark, propertySchema.Document), propertySchema.Node, propertyType) : null));
        }

        var extraType = members.Additional is { } extra ? SchemaType(extra, typeName + "Value", out _) : hasExtra ? TypeRef.Any : null;
        return AddType(TypeModelKind.Object, typeName, name, schema, result, properties: models, additionalProperties: extraType);
    }

    /// <summary>
    /// Gathers an object's members from its own properties and, flattened, those of its allOf parts and
    /// conditionals. <paramref name="required"/> collects required names (conditional branches pass a
    /// throwaway set: which branch applies depends on the value).
    /// </summary>
    private void CollectMembers(Located schema, string name, ObjectMembers members, HashSet<string> required, int depth)
    {
        var node = schema.Node;

        // Each part once per object and kind of visit: a part reached twice adds nothing, and allOf parts that
        // repeat their own parts (A = allOf [B, B], B = allOf [C, C], ...) would otherwise take exponential time.
        if (!members.Visited.Add((node, required == members.Required)))
        {
            return;
        }

        if (depth > MaxFlattenDepth)
        {
            _diagnostics.At(Descriptors.SchemaTooDeep, schema, $"The schema '{name}' nests allOf, then or else more than {MaxFlattenDepth} levels deep; the members below that level are not generated. Flatten the schema.");
            return;
        }

        if (node["properties"] is { Kind: NodeKind.Object } own)
        {
            foreach (var property in own.Properties)
            {
                members.Set(property.Name, new Located(property.Value, schema.Document));
            }
        }

        if (node["required"] is { Kind: NodeKind.Array } names)
        {
            foreach (var item in names.Items)
            {
                if (item.Kind == NodeKind.String)
                {
                    required.Add(item.Value!);
                }
            }
        }

        if (node["additionalProperties"] is { } extra)
        {
            if (extra.Kind == NodeKind.Object && extra.Properties.Count > 0)
            {
                members.Additional = new Located(extra, schema.Document);
            }
            else if (extra.IsTrue || extra.Kind == NodeKind.Object)
            {
                members.AdditionalAllowed = true;
            }
        }

        if (node["allOf"] is { Kind: NodeKind.Array } parts)
        {
            foreach (var part in parts.Items)
            {
                if (Dereference(new Located(part, schema.Document), out _) is { } target)
                {
                    CollectMembers(target, name, members, required, depth + 1);
                }
            }
        }

        var conditional = false;
        foreach (var branch in ConditionalBranches)
        {
            if (node[branch] is { Kind: NodeKind.Object } part && Dereference(new Located(part, schema.Document), out _) is { } target)
            {
                CollectMembers(target, name, members, new HashSet<string>(StringComparer.Ordinal), depth + 1);
                conditional = true;
            }
        }

        if (conditional || node["if"] is not null)
        {
            _diagnostics.At(Descriptors.SchemaApproximated, schema, $"The schema '{name}' uses if/then/else; the members of both branches are generated as optional properties.");
        }

        if ((node["oneOf"] is not null || node["anyOf"] is not null) && HasOwnShape(node))
        {
            _diagnostics.At(Descriptors.SchemaApproximated, schema, $"The schema '{name}' has properties and oneOf/anyOf; the properties are generated and the alternatives are not checked.");
        }
    }

    /// <summary>An object's members as they are gathered: a later definition of a name replaces an earlier one in place.</summary>
    private sealed class ObjectMembers
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<(string Name, Located Schema)> Properties { get; } = new();

        public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

        /// <summary>Schemas already flattened into this object, with whether their required names counted.</summary>
        public HashSet<(Node Schema, bool Required)> Visited { get; } = new(VisitComparer.Instance);

        public Located? Additional { get; set; }

        public bool AdditionalAllowed { get; set; }

        public void Set(string name, Located schema)
        {
            if (_index.TryGetValue(name, out var index))
            {
                Properties[index] = (name, schema);
            }
            else
            {
                _index[name] = Properties.Count;
                Properties.Add((name, schema));
            }
        }
    }

    private TypeModelKind? KindOf(TypeRef type)
        => type.Kind == TypeRefKind.Named && _typesByName.TryGetValue(type.Name!, out var entry) ? entry.Kind : null;

    /// <summary>
    /// Records a generated type and returns the reference to use for it: <paramref name="self"/>, or the
    /// type of an earlier inline schema with exactly the same members.
    /// </summary>
    private TypeRef AddType(
        TypeModelKind kind,
        string typeName,
        string jsonName,
        Located schema,
        TypeRef self,
        List<PropertyModel>? properties = null,
        TypeRef? additionalProperties = null,
        List<EnumValueModel>? enumValues = null,
        List<VariantModel>? variants = null,
        string? discriminator = null)
    {
        var model = new TypeModel(
            kind,
            typeName,
            jsonName,
            Text(schema.Node, "title"),
            Text(schema.Node, "description"),
            schema.Node["deprecated"]?.IsTrue == true,
            properties?.ToEquatableArray() ?? EquatableArray<PropertyModel>.Empty,
            additionalProperties,
            enumValues?.ToEquatableArray() ?? EquatableArray<EnumValueModel>.Empty,
            variants?.ToEquatableArray() ?? EquatableArray<VariantModel>.Empty,
            discriminator);
        if (!_namedSchemas.Contains(schema.Node))
        {
            var shape = model with { Name = string.Empty, JsonName = string.Empty };
            if (_inlineShapes.TryGetValue(shape, out var earlier))
            {
                return earlier;
            }

            _inlineShapes[shape] = self;
        }

        _typesByName[typeName] = (kind, schema.Node);
        _types.Add(model);
        return self;
    }

    private static string NameFromReference(string reference)
    {
        var hash = reference.IndexOf('#');
        var pointer = hash < 0 ? string.Empty : reference.Substring(hash + 1);
        if (pointer.Length > 1)
        {
            var last = pointer.Substring(pointer.LastIndexOf('/') + 1);
            return Uri.UnescapeDataString(last).Replace("~1", "/").Replace("~0", "~");
        }

        var file = hash < 0 ? reference : reference.Substring(0, hash);
        var slash = file.LastIndexOfAny(PathSeparators);
        var fileName = file.Substring(slash + 1);
        var dot = fileName.IndexOf('.');
        return dot > 0 ? fileName.Substring(0, dot) : fileName;
    }

    private static string? Text(Node? node, string key) => node?[key] is { Kind: NodeKind.String } text && !string.IsNullOrWhiteSpace(text.Value) ? text.Value : null;

    /// <summary>Compares nodes by identity: two equal-looking schemas in different places are different schemas.</summary>
    private sealed class NodeIdentity : IEqualityComparer<Node>
    {
        public static readonly NodeIdentity Instance = new();

        public bool Equals(Node? x, Node? y) => ReferenceEquals(x, y);

        public int GetHashCode(Node obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>Compares (schema, flag) pairs by the schema node's identity.</summary>
    private sealed class VisitComparer : IEqualityComparer<(Node Schema, bool Required)>
    {
        public static readonly VisitComparer Instance = new();

        public bool Equals((Node Schema, bool Required) x, (Node Schema, bool Required) y) => ReferenceEquals(x.Schema, y.Schema) && x.Required == y.Required;

        public int GetHashCode((Node Schema, bool Required) obj) => (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Schema) * 2) + (obj.Required ? 1 : 0);
    }
}
