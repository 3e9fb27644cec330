using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Shoal.Cli.Reflection;

/// <summary>Wire format to JSON.</summary>
internal static partial class DynamicMessageCodec
{
    /// <summary>
    /// The fields read from one message: a scalar (last one wins), a <see cref="MemoryStream"/> for a
    /// singular message (occurrences are concatenated, which protobuf defines as merging them), a
    /// <see cref="List{T}"/> for a repeated field, an <see cref="OrderedDictionary{TKey, TValue}"/> for a map.
    /// </summary>
    private static Dictionary<FieldDescriptor, object> ReadFields(MessageDescriptor descriptor, byte[] data)
    {
        var fields = new Dictionary<FieldDescriptor, object>();
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }
            var wireType = WireFormat.GetTagWireType(tag);
            if (field.IsMap)
            {
                Expect(field, wireType, WireFormat.WireType.LengthDelimited);
                var map = (OrderedDictionary<string, object?>)GetOrAdd(fields, field, () => new OrderedDictionary<string, object?>(StringComparer.Ordinal));
                ReadMapEntry(field.MessageType, input.ReadBytes().ToByteArray(), map);
            }
            else if (field.IsRepeated)
            {
                var list = (List<object>)GetOrAdd(fields, field, () => new List<object>());
                if (wireType == WireFormat.WireType.LengthDelimited && IsPackable(field.FieldType))
                {
                    // Packed: accepted whatever the descriptor says, as protobuf parsers must.
                    var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packed.IsAtEnd)
                    {
                        list.Add(ReadValue(packed, field.FieldType));
                    }
                }
                else
                {
                    Expect(field, wireType, WireTypeOf(field.FieldType));
                    list.Add(ReadValue(input, field.FieldType));
                }
            }
            else if (field.FieldType == FieldType.Message)
            {
                Expect(field, wireType, WireFormat.WireType.LengthDelimited);
                var parts = (MemoryStream)GetOrAdd(fields, field, () => new MemoryStream());
                input.ReadBytes().WriteTo(parts);
                ClearOtherOneofMembers(fields, field);
            }
            else
            {
                Expect(field, wireType, WireTypeOf(field.FieldType));
                fields[field] = ReadValue(input, field.FieldType);
                ClearOtherOneofMembers(fields, field);
            }
        }
        return fields;
    }

    private static void ClearOtherOneofMembers(Dictionary<FieldDescriptor, object> fields, FieldDescriptor field)
    {
        // A later member of a oneof replaces an earlier one.
        if (field.RealContainingOneof is { } oneof)
        {
            foreach (var member in oneof.Fields)
            {
                if (member != field)
                {
                    fields.Remove(member);
                }
            }
        }
    }

    private static object GetOrAdd(Dictionary<FieldDescriptor, object> fields, FieldDescriptor field, Func<object> create)
    {
        if (!fields.TryGetValue(field, out var value))
        {
            value = create();
            fields[field] = value;
        }
        return value;
    }

    private static void Expect(FieldDescriptor field, WireFormat.WireType actual, WireFormat.WireType expected)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"Field {field.FullName} arrived with wire type {actual} where {expected} was expected.");
        }
    }

    private static void ReadMapEntry(MessageDescriptor entry, byte[] data, OrderedDictionary<string, object?> map)
    {
        var keyField = entry.FindFieldByNumber(1);
        var valueField = entry.FindFieldByNumber(2);
        object key = DefaultOf(keyField);
        object? value = null;
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    Expect(keyField, WireFormat.GetTagWireType(tag), WireTypeOf(keyField.FieldType));
                    key = ReadValue(input, keyField.FieldType);
                    break;
                case 2:
                    Expect(valueField, WireFormat.GetTagWireType(tag), WireTypeOf(valueField.FieldType));
                    value = ReadValue(input, valueField.FieldType);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        map[FormatMapKey(key)] = value;
    }

    private static object ReadValue(CodedInputStream input, FieldType type) => type switch
    {
        FieldType.Double => input.ReadDouble(),
        FieldType.Float => input.ReadFloat(),
        FieldType.Int64 => input.ReadInt64(),
        FieldType.UInt64 => input.ReadUInt64(),
        FieldType.Int32 => input.ReadInt32(),
        FieldType.Fixed64 => input.ReadFixed64(),
        FieldType.Fixed32 => input.ReadFixed32(),
        FieldType.Bool => input.ReadBool(),
        FieldType.String => input.ReadString(),
        FieldType.Bytes => input.ReadBytes(),
        FieldType.UInt32 => input.ReadUInt32(),
        FieldType.SFixed32 => input.ReadSFixed32(),
        FieldType.SFixed64 => input.ReadSFixed64(),
        FieldType.SInt32 => input.ReadSInt32(),
        FieldType.SInt64 => input.ReadSInt64(),
        FieldType.Enum => input.ReadEnum(),
        FieldType.Message => input.ReadBytes().ToByteArray(),
        _ => throw new InvalidDataException($"Field type {type} is not supported."),
    };

    /// <summary>
    /// Writes the fields read; with <paramref name="emitDefaults"/> also the fields without presence that are
    /// absent, at their default value (an empty array or object for repeated fields and maps), as
    /// Google.Protobuf's <c>JsonFormatter.Settings.WithFormatDefaultValues(true)</c> does.
    /// </summary>
    private static void WriteObject(Utf8JsonWriter writer, MessageDescriptor descriptor, Dictionary<FieldDescriptor, object> fields, bool emitDefaults)
    {
        CheckDepth(writer);
        writer.WriteStartObject();
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (!fields.TryGetValue(field, out var value))
            {
                if (emitDefaults && !field.HasPresence)
                {
                    WriteDefault(writer, field);
                }
                continue;
            }
            if (field.IsMap)
            {
                var map = (OrderedDictionary<string, object?>)value;
                var valueField = field.MessageType.FindFieldByNumber(2);
                writer.WritePropertyName(field.JsonName);
                CheckDepth(writer);
                writer.WriteStartObject();
                foreach (var (key, entryValue) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, valueField, entryValue ?? DefaultOf(valueField), emitDefaults);
                }
                writer.WriteEndObject();
            }
            else if (field.IsRepeated)
            {
                var elements = (List<object>)value;
                if (elements.Count == 0)
                {
                    // An empty packed field: a repeated field without elements is written as at its default.
                    if (emitDefaults)
                    {
                        WriteDefault(writer, field);
                    }
                    continue;
                }
                writer.WritePropertyName(field.JsonName);
                CheckDepth(writer);
                writer.WriteStartArray();
                foreach (var element in elements)
                {
                    WriteValue(writer, field, element, emitDefaults);
                }
                writer.WriteEndArray();
            }
            else if (value is MemoryStream parts)
            {
                writer.WritePropertyName(field.JsonName);
                WriteJson(field.MessageType, parts.ToArray(), writer, emitDefaults);
            }
            else if (field.HasPresence || emitDefaults || !IsDefault(value))
            {
                writer.WritePropertyName(field.JsonName);
                WriteValue(writer, field, value, emitDefaults);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteDefault(Utf8JsonWriter writer, FieldDescriptor field)
    {
        writer.WritePropertyName(field.JsonName);
        if (field.IsMap)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else if (field.IsRepeated)
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
        else
        {
            WriteValue(writer, field, DefaultOf(field), emitDefaults: true);
        }
    }

    /// <summary>
    /// Refuses to open a JSON level past <see cref="MaxJsonDepth"/>: a message nested that deep
    /// would give JSON that cannot be sent back as a request (and unbounded nesting, a deep stack).
    /// </summary>
    private static void CheckDepth(Utf8JsonWriter writer)
    {
        if (writer.CurrentDepth >= MaxJsonDepth)
        {
            throw new InvalidDataException($"The message is nested deeper than the {MaxJsonDepth} levels its JSON may have.");
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, object value, bool emitDefaults)
    {
        switch (value)
        {
            case byte[] message:
                WriteJson(field.MessageType, message, writer, emitDefaults);
                break;
            case int number when field.FieldType == FieldType.Enum:
                if (field.EnumType.FindValueByNumber(number) is { } named)
                {
                    writer.WriteStringValue(named.Name);
                }
                else
                {
                    writer.WriteNumberValue(number);
                }
                break;
            case int i: writer.WriteNumberValue(i); break;
            case uint u: writer.WriteNumberValue(u); break;
            // 64-bit integers are strings in proto3 JSON (JavaScript numbers lose precision past 2^53).
            case long l: writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture)); break;
            case ulong ul: writer.WriteStringValue(ul.ToString(CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): writer.WriteStringValue(NonFinite(f)); break;
            case float f: writer.WriteNumberValue(f); break;
            case double d when !double.IsFinite(d): writer.WriteStringValue(NonFinite(d)); break;
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case ByteString bytes: writer.WriteBase64StringValue(bytes.Span); break;
            default: throw new InvalidDataException($"Cannot write {value.GetType().Name} as JSON.");
        }
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static string FormatMapKey(object key) => key switch
    {
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? "",
    };

    private static object DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => 0d,
        FieldType.Float => 0f,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
        FieldType.UInt64 or FieldType.Fixed64 => 0UL,
        FieldType.UInt32 or FieldType.Fixed32 => 0U,
        FieldType.Bool => false,
        FieldType.String => "",
        FieldType.Bytes => ByteString.Empty,
        FieldType.Message => Array.Empty<byte>(),
        _ => 0,
    };
}
