using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Shoal.Cli.Reflection;

/// <summary>JSON to wire format.</summary>
internal static partial class DynamicMessageCodec
{
    private static byte[] Encode(MessageDescriptor descriptor, JsonElement json, string path)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        WriteMessage(output, descriptor, json, path);
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, MessageDescriptor descriptor, JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonCodecException(path, $"expected a JSON object ({descriptor.FullName}), got {KindOf(json)}");
        }
        var oneofs = new Dictionary<OneofDescriptor, string>();
        foreach (var property in json.EnumerateObject())
        {
            var field = FindField(descriptor, property.Name)
                ?? throw new JsonCodecException(Child(path, property.Name), $"{descriptor.FullName} has no field '{property.Name}'");
            var fieldPath = Child(path, field.JsonName);
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (field.RealContainingOneof is { } oneof)
            {
                if (oneofs.TryGetValue(oneof, out var other))
                {
                    throw new JsonCodecException(fieldPath, $"oneof '{oneof.Name}' is already set by '{other}'");
                }
                oneofs[oneof] = field.JsonName;
            }

            if (field.IsMap)
            {
                WriteMap(output, field, property.Value, fieldPath);
            }
            else if (field.IsRepeated)
            {
                WriteRepeated(output, field, property.Value, fieldPath);
            }
            else
            {
                WriteField(output, field, property.Value, fieldPath, skipDefault: !field.HasPresence);
            }
        }
    }

    private static void WriteField(CodedOutputStream output, FieldDescriptor field, JsonElement json, string path, bool skipDefault)
    {
        if (field.FieldType == FieldType.Message)
        {
            var nested = Encode(field.MessageType, json, path);
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(nested));
            return;
        }
        var value = ToScalar(field, json, path);
        if (skipDefault && IsDefault(value))
        {
            return;
        }
        output.WriteTag(field.FieldNumber, WireTypeOf(field.FieldType));
        WriteScalar(output, field.FieldType, value);
    }

    private static void WriteRepeated(CodedOutputStream output, FieldDescriptor field, JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new JsonCodecException(path, $"expected a JSON array (repeated {TypeName(field)}), got {KindOf(json)}");
        }
        var index = 0;
        if (field.IsPacked && IsPackable(field.FieldType))
        {
            using var buffer = new MemoryStream();
            var packed = new CodedOutputStream(buffer);
            foreach (var element in json.EnumerateArray())
            {
                WriteScalar(packed, field.FieldType, ToScalar(field, RequireElement(element, $"{path}[{index}]"), $"{path}[{index}]"));
                index++;
            }
            packed.Flush();
            if (buffer.Length > 0)
            {
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(UnsafeByteOperations.UnsafeWrap(buffer.ToArray()));
            }
            return;
        }
        foreach (var element in json.EnumerateArray())
        {
            var elementPath = $"{path}[{index}]";
            WriteField(output, field, RequireElement(element, elementPath), elementPath, skipDefault: false);
            index++;
        }
    }

    private static void WriteMap(CodedOutputStream output, FieldDescriptor field, JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonCodecException(path, $"expected a JSON object (a map), got {KindOf(json)}");
        }
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (var entry in json.EnumerateObject())
        {
            var entryPath = $"{path}[\"{entry.Name}\"]";
            using var buffer = new MemoryStream();
            var entryOutput = new CodedOutputStream(buffer);
            entryOutput.WriteTag(1, WireTypeOf(keyField.FieldType));
            WriteScalar(entryOutput, keyField.FieldType, ToMapKey(keyField.FieldType, entry.Name, entryPath));
            WriteField(entryOutput, valueField, RequireElement(entry.Value, entryPath), entryPath, skipDefault: false);
            entryOutput.Flush();
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(buffer.ToArray()));
        }
    }

    private static JsonElement RequireElement(JsonElement element, string path) => element.ValueKind == JsonValueKind.Null
        ? throw new JsonCodecException(path, "null is not allowed in a repeated field or a map")
        : element;

    private static void WriteScalar(CodedOutputStream output, FieldType type, object value)
    {
        switch (type)
        {
            case FieldType.Double: output.WriteDouble((double)value); break;
            case FieldType.Float: output.WriteFloat((float)value); break;
            case FieldType.Int64: output.WriteInt64((long)value); break;
            case FieldType.UInt64: output.WriteUInt64((ulong)value); break;
            case FieldType.Int32: output.WriteInt32((int)value); break;
            case FieldType.Fixed64: output.WriteFixed64((ulong)value); break;
            case FieldType.Fixed32: output.WriteFixed32((uint)value); break;
            case FieldType.Bool: output.WriteBool((bool)value); break;
            case FieldType.String: output.WriteString((string)value); break;
            case FieldType.Bytes: output.WriteBytes((ByteString)value); break;
            case FieldType.UInt32: output.WriteUInt32((uint)value); break;
            case FieldType.SFixed32: output.WriteSFixed32((int)value); break;
            case FieldType.SFixed64: output.WriteSFixed64((long)value); break;
            case FieldType.SInt32: output.WriteSInt32((int)value); break;
            case FieldType.SInt64: output.WriteSInt64((long)value); break;
            case FieldType.Enum: output.WriteEnum((int)value); break;
            default: throw new NotSupportedException($"Field type {type} is not a scalar.");
        }
    }

    private static object ToScalar(FieldDescriptor field, JsonElement json, string path) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)ToSigned(json, int.MinValue, int.MaxValue, path, "int32"),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => ToSigned(json, long.MinValue, long.MaxValue, path, "int64"),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)ToUnsigned(json, uint.MaxValue, path, "uint32"),
        FieldType.UInt64 or FieldType.Fixed64 => ToUnsigned(json, ulong.MaxValue, path, "uint64"),
        FieldType.Double => ToDouble(json, path, "double"),
        FieldType.Float => ToFloat(json, path),
        FieldType.Bool => json.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JsonCodecException(path, $"expected true or false, got {KindOf(json)}"),
        },
        FieldType.String => json.ValueKind == JsonValueKind.String
            ? json.GetString()!
            : throw new JsonCodecException(path, $"expected a string, got {KindOf(json)}"),
        FieldType.Bytes => ToBytes(json, path),
        FieldType.Enum => ToEnum(field.EnumType, json, path),
        FieldType.Group => throw new JsonCodecException(path, "proto2 groups are not supported"),
        _ => throw new JsonCodecException(path, $"field type {field.FieldType} is not a scalar"),
    };

    private static long ToSigned(JsonElement json, long min, long max, string path, string typeName)
    {
        long value;
        if (json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out var number))
        {
            value = number;
        }
        else if (json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out var real) && Math.Floor(real) == real && real >= -9.2233720368547758E18 && real < 9.2233720368547758E18)
        {
            value = (long)real;
        }
        else if (json.ValueKind == JsonValueKind.String && long.TryParse(json.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw new JsonCodecException(path, $"expected an integer ({typeName}), got {KindOf(json)}");
        }
        return value < min || value > max
            ? throw new JsonCodecException(path, $"{value} is out of range for {typeName}")
            : value;
    }

    private static ulong ToUnsigned(JsonElement json, ulong max, string path, string typeName)
    {
        ulong value;
        if (json.ValueKind == JsonValueKind.Number && json.TryGetUInt64(out var number))
        {
            value = number;
        }
        else if (json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out var real) && Math.Floor(real) == real && real >= 0 && real < 1.8446744073709552E19)
        {
            value = (ulong)real;
        }
        else if (json.ValueKind == JsonValueKind.String && ulong.TryParse(json.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw new JsonCodecException(path, $"expected a non-negative integer ({typeName}), got {KindOf(json)}");
        }
        return value > max ? throw new JsonCodecException(path, $"{value} is out of range for {typeName}") : value;
    }

    private static double ToDouble(JsonElement json, string path, string typeName)
    {
        if (json.ValueKind == JsonValueKind.Number)
        {
            return json.GetDouble();
        }
        if (json.ValueKind == JsonValueKind.String)
        {
            var text = json.GetString();
            switch (text)
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }
        throw new JsonCodecException(path, $"expected a number ({typeName}), got {KindOf(json)}");
    }

    private static float ToFloat(JsonElement json, string path)
    {
        var value = ToDouble(json, path, "float");
        // Out of range only when it does not round to a finite float: the shortest text of float.MaxValue
        // (3.4028235E+38, as the codec prints it) is a little above float.MaxValue as a double.
        if (double.IsFinite(value) && float.IsInfinity((float)value))
        {
            throw new JsonCodecException(path, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range for float");
        }
        return (float)value;
    }

    private static ByteString ToBytes(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            throw new JsonCodecException(path, $"expected a base64 string (bytes), got {KindOf(json)}");
        }
        // Standard or URL-safe alphabet, padding optional (as the proto3 JSON mapping allows).
        var text = json.GetString()!.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        try
        {
            return ByteString.CopyFrom(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            throw new JsonCodecException(path, "expected a base64 string (bytes), got a string that is not base64");
        }
    }

    private static int ToEnum(EnumDescriptor type, JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var number))
        {
            return number;
        }
        if (json.ValueKind == JsonValueKind.String)
        {
            var name = json.GetString()!;
            if (type.FindValueByName(name) is { } value)
            {
                return value.Number;
            }
            var known = string.Join(", ", type.Values.Select(v => v.Name).Take(10));
            throw new JsonCodecException(path, $"'{name}' is not a value of {type.FullName} (one of: {known})");
        }
        throw new JsonCodecException(path, $"expected an enum name or number ({type.FullName}), got {KindOf(json)}");
    }

    private static object ToMapKey(FieldType type, string key, string path)
    {
        const NumberStyles Signed = NumberStyles.AllowLeadingSign;
        var invariant = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            FieldType.String => key,
            FieldType.Bool => key switch { "true" => true, "false" => false, _ => null },
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(key, Signed, invariant, out var i) ? i : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(key, Signed, invariant, out var l) ? l : null,
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(key, NumberStyles.None, invariant, out var u) ? u : null,
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(key, NumberStyles.None, invariant, out var ul) ? ul : null,
            _ => throw new JsonCodecException(path, $"{type} cannot be a map key"),
        };
        return value ?? throw new JsonCodecException(path, $"\"{key}\" is not a valid {type.ToString().ToLowerInvariant()} map key");
    }

    private static bool IsDefault(object value) => value switch
    {
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong ul => ul == 0,
        // Bitwise, as generated code compares: -0.0 is written.
        float f => BitConverter.SingleToInt32Bits(f) == 0,
        double d => BitConverter.DoubleToInt64Bits(d) == 0,
        bool b => !b,
        string s => s.Length == 0,
        ByteString bytes => bytes.IsEmpty,
        _ => false,
    };

    private static string TypeName(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => field.MessageType.FullName,
        FieldType.Enum => field.EnumType.FullName,
        _ => field.FieldType.ToString().ToLowerInvariant(),
    };

    private static string KindOf(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Truncate(json.GetRawText())}",
        JsonValueKind.Number => $"the number {Truncate(json.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
