using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Model;

namespace Conduit.Generators.Emit;

/// <summary>Emits model types (objects, enums and unions), each with its reflection-free JSON converter.</summary>
internal static class ModelEmitter
{
    private const string ReaderParameters = "ref __J.Utf8JsonReader reader, __Sys.Type typeToConvert, __J.JsonSerializerOptions options";
    private const string WriterParameters = "__J.Utf8JsonWriter writer, ";

    /// <summary>
    /// One file for several models (those whose names start with the same letter): the compiler pays a
    /// fixed cost per file, which for thousands of one-model files was a third of its intake.
    /// </summary>
    public static string Emit(SourceWriter writer, ClientModel client, IReadOnlyList<TypeModel> types, TypeNames names)
    {
        writer.Start();
        writer.Line(CSharp.Header);
        names.WriteAliases(writer);
        writer.Line();
        writer.Line("namespace " + client.ModelsNamespace + ";");
        foreach (var type in types)
        {
            writer.Line();
            switch (type.Kind)
            {
                case TypeModelKind.Enum:
                    EmitEnum(writer, client, type, names);
                    break;
                case TypeModelKind.Union:
                    EmitUnion(writer, client, type, names);
                    break;
                default:
                    EmitObject(writer, client, type, names);
                    break;
            }
        }

        return writer.ToString();
    }

    /// <summary>The file a model goes in: its first letter (upper case), or "_" for any other first character.</summary>
    public static string FileKey(TypeModel type)
    {
        var first = char.ToUpperInvariant(type.Name[0]);
        return first is >= 'A' and <= 'Z' ? first.ToString() : "_";
    }

    private static void TypeDocs(SourceWriter writer, TypeModel type, string fallback)
    {
        CSharp.Doc(writer, "summary", type.Summary ?? type.Description ?? fallback);
        if (type.Summary is not null && type.Description != type.Summary)
        {
            CSharp.Doc(writer, "remarks", type.Description);
        }

        if (type.Deprecated)
        {
            writer.Line("[global::System.Obsolete(\"The document marks this schema as deprecated.\")]");
        }
    }

    private static void EmitObject(SourceWriter writer, ClientModel client, TypeModel type, TypeNames names)
    {
        var self = names.Model(type.Name);
        TypeDocs(writer, type, $"The '{type.JsonName}' schema.");
        writer.Line($"[__J.Serialization.JsonConverter(typeof({self}.JsonConverter))]");
        using (writer.Open($"{client.Accessibility} sealed partial class {type.Name}"))
        {
            foreach (var property in type.Properties)
            {
                CSharp.Doc(writer, "summary", property.Description);
                if (property.Deprecated && property.Required)
                {
                    writer.Line("/// <remarks>Deprecated by the document.</remarks>");
                }
                if (property.Deprecated && !property.Required)
                {
                    // C# forbids [Obsolete] on required members (CS9042); those say it in their docs.
                    writer.Line("[global::System.Obsolete(\"The document marks this property as deprecated.\")]");
                }

                if (property.FileInputs is { } files)
                {
                    writer.Line(files < 0 ? "[global::Conduit.Policies.FileInput]" : $"[global::Conduit.Policies.FileInput(MaxItems = {CSharp.Number(files)})]");
                }

                var nonNull = property.Required && !property.Nullable;
                writer.Line($"public {(property.Required ? "required " : string.Empty)}{names.Of(property.Type, !nonNull)} {property.Name} {{ get; init; }}");
                writer.Line();
            }

            if (type.AdditionalProperties is { } extra)
            {
                writer.Line("/// <summary>Members the schema does not name, by their JSON names.</summary>");
                writer.Line($"public __G.IReadOnlyDictionary<string, {names.Of(extra)}>? AdditionalProperties {{ get; init; }}");
                writer.Line();
            }

            ObjectConverter(writer, type, names, self);
        }
    }

    private static void ObjectConverter(SourceWriter writer, TypeModel type, TypeNames names, string self)
    {
        writer.Line($"/// <summary>Reads and writes <see cref=\"{type.Name}\"/> as the document describes it, without reflection.</summary>");
        using var converter = writer.Open($"public sealed class JsonConverter() : global::Conduit.Json.ObjectConverter<{self}>({CSharp.Literal(type.JsonName)})");
        writer.Line("public static readonly JsonConverter Instance = new();");
        writer.Line();
        using (writer.Open($"protected override {self} ReadMembers(ref __J.Utf8JsonReader reader, __J.JsonSerializerOptions options)"))
        {
            for (var i = 0; i < type.Properties.Count; i++)
            {
                writer.Line($"{names.Of(type.Properties[i].Type)}? p{i} = default;");
            }

            var extra = type.AdditionalProperties;
            if (extra is not null)
            {
                writer.Line($"__G.Dictionary<string, {names.Of(extra)}>? extra = null;");
            }

            using (writer.Open("while (__R.NextProperty(ref reader, out var name))"))
            using (writer.Open("switch (name)"))
            {
                for (var i = 0; i < type.Properties.Count; i++)
                {
                    var property = type.Properties[i];
                    writer.Line($"case {CSharp.Literal(property.JsonName)}: p{i} = {Read(property.Type, names)}; break;");
                }

                writer.Line(extra is null
                    ? "default: reader.Skip(); break;"
                    : $"default: __R.Extra(ref extra, name, ref reader, {names.Converter(extra)}, options); break;");
            }

            writer.Line($"return new {self}");
            writer.Line("{");
            for (var i = 0; i < type.Properties.Count; i++)
            {
                var property = type.Properties[i];
                var value = property.Required && !property.Nullable
                    ? $"p{i} ?? throw Missing({CSharp.Literal(property.JsonName)})"
                    : $"p{i}";
                writer.Line($"    {property.Name} = {value},");
            }

            if (extra is not null)
            {
                writer.Line("    AdditionalProperties = extra,");
            }

            writer.Line("};");
        }

        writer.Line();
        using (writer.Open($"protected override void WriteMembers(__J.Utf8JsonWriter writer, {self} value, __J.JsonSerializerOptions options)"))
        {
            foreach (var property in type.Properties.Where(p => !p.ReadOnly))
            {
                writer.Line(Write(property, names));
            }

            if (type.AdditionalProperties is { } extraType)
            {
                writer.Line($"__W.Extra(writer, value.AdditionalProperties, {names.Converter(extraType)}, options);");
            }
        }
    }

    /// <summary>Opens the nested converter class; the caller writes Read and Write inside the returned block.</summary>
    private static SourceWriter.Block OpenConverter(SourceWriter writer, TypeModel type, string self)
    {
        writer.Line($"/// <summary>Reads and writes <see cref=\"{type.Name}\"/> as the document describes it, without reflection.</summary>");
        var block = writer.Open($"public sealed class JsonConverter : global::Conduit.Json.ConduitConverter<{self}>");
        writer.Line("/// <summary>The shared instance.</summary>");
        writer.Line("public static readonly JsonConverter Instance = new();");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        return block;
    }

    private static string Read(TypeRef type, TypeNames names) => HasTypedHelpers(type)
        ? $"__R.{type.Primitive}(ref reader)"
        : $"{(type.IsValueType ? "__R.Value" : "__R.Ref")}(ref reader, {names.Converter(type)}, options)";

    private static string Write(PropertyModel property, TypeNames names)
    {
        var always = property.Required ? ", true" : string.Empty;
        var name = CSharp.Literal(property.JsonName);
        return HasTypedHelpers(property.Type)
            ? $"__W.{property.Type.Primitive}(writer, {name}, value.{property.Name}{always});"
            : $"{(property.Type.IsValueType ? "__W.Value" : "__W.Ref")}(writer, {name}, value.{property.Name}, {names.Converter(property.Type)}, options{always});";
    }

    /// <summary>Primitives JsonRead and JsonWrite have typed helpers for: the most common, so the shortest to write.</summary>
    private static bool HasTypedHelpers(TypeRef type) => type.Kind == TypeRefKind.Primitive && type.Primitive is
        PrimitiveKind.String or PrimitiveKind.Boolean or PrimitiveKind.Int32 or PrimitiveKind.Int64 or
        PrimitiveKind.Double or PrimitiveKind.DateTimeOffset or PrimitiveKind.Guid;

    private static void EmitEnum(SourceWriter writer, ClientModel client, TypeModel type, TypeNames names)
    {
        var self = names.Model(type.Name);
        TypeDocs(writer, type, $"The values of '{type.JsonName}'. Values the document does not list are kept as they are.");
        writer.Line($"[__J.Serialization.JsonConverter(typeof(global::Conduit.Json.StringEnumConverter<{self}>))]");
        using (writer.Open($"{client.Accessibility} readonly partial record struct {type.Name}(string Value) : global::Conduit.Json.IStringEnum<{self}>"))
        {
            foreach (var member in type.EnumValues)
            {
                CSharp.Doc(writer, "summary", member.Description);
                writer.Line($"public static readonly {self} {member.Name} = new({CSharp.Literal(member.Value)});");
            }

            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line($"public static {self} FromValue(string value) => new(value);");
            writer.Line();
            writer.Line("/// <summary>The value as sent on the wire.</summary>");
            writer.Line("public override string ToString() => Value ?? string.Empty;");
            writer.Line();
            writer.Line("/// <summary>Wraps a wire value, listed in the document or not.</summary>");
            writer.Line($"public static implicit operator {self}(string value) => new(value);");
        }
    }

    private static void EmitUnion(SourceWriter writer, ClientModel client, TypeModel type, TypeNames names)
    {
        var self = names.Model(type.Name);
        TypeDocs(writer, type, $"One of the shapes '{type.JsonName}' allows; exactly one property is set.");
        writer.Line($"[__J.Serialization.JsonConverter(typeof({self}.JsonConverter))]");
        using (writer.Open($"{client.Accessibility} sealed partial class {type.Name}"))
        {
            foreach (var variant in type.Variants)
            {
                var variantType = names.Of(variant.Type);
                writer.Line($"/// <summary>Holds a <c>{variant.Name}</c>.</summary>");
                writer.Line("/// <param name=\"value\">The value.</param>");
                writer.Line($"public {type.Name}({variantType} value) => {variant.Name} = value;");
                writer.Line();
                writer.Line($"/// <summary>The value, when it is a <c>{variant.Name}</c>.</summary>");
                writer.Line($"public {variantType}? {variant.Name} {{ get; }}");
                writer.Line();
                if (variant.Type.Kind is not (TypeRefKind.List or TypeRefKind.Map))
                {
                    writer.Line($"/// <summary>Wraps a <c>{variant.Name}</c>.</summary>");
                    writer.Line($"public static implicit operator {self}({variantType} value) => new(value);");
                    writer.Line();
                }
            }

            UnionConverter(writer, type, names, self);
        }
    }

    private static void UnionConverter(SourceWriter writer, TypeModel type, TypeNames names, string self)
    {
        using var converter = OpenConverter(writer, type, self);
        using (writer.Open($"public override {self}? Read({ReaderParameters})"))
        {
            if (type.Discriminator is { } discriminator && type.Variants.Any(v => v.DiscriminatorValues.Count > 0))
            {
                using (writer.Open($"switch (__U.Discriminator(ref reader, {CSharp.Literal(discriminator)}))"))
                {
                    foreach (var variant in type.Variants.Where(v => v.DiscriminatorValues.Count > 0))
                    {
                        foreach (var value in variant.DiscriminatorValues)
                        {
                            writer.Line($"case {CSharp.Literal(value)}:");
                        }

                        writer.Line($"    return new {self}({Read(variant.Type, names)}!);");
                    }
                }

                writer.Line();
            }

            for (var i = 0; i < type.Variants.Count; i++)
            {
                var variant = type.Variants[i];
                writer.Line($"if (__U.TryRead(ref reader, {names.Converter(variant.Type)}, options, out var v{i}))");
                writer.Line("{");
                writer.Line($"    return new {self}(v{i});");
                writer.Line("}");
                writer.Line();
            }

            writer.Line($"throw __U.NoMatch({CSharp.Literal(type.JsonName)}, reader.TokenType);");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.Open($"public override void Write({WriterParameters}{self} value, __J.JsonSerializerOptions options)"))
        {
            for (var i = 0; i < type.Variants.Count; i++)
            {
                var variant = type.Variants[i];
                var unwrap = variant.Type.IsValueType ? ".Value" : string.Empty;
                writer.Line($"{(i == 0 ? "if" : "else if")} (value.{variant.Name} is not null)");
                writer.Line("{");
                writer.Line($"    {names.Converter(variant.Type)}.Write(writer, value.{variant.Name}{unwrap}, options);");
                writer.Line("}");
            }

            writer.Line("else");
            writer.Line("{");
            writer.Line($"    throw __U.Empty({CSharp.Literal(type.JsonName)});");
            writer.Line("}");
        }
    }
}
