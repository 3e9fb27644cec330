using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Shoal.Cli.Reflection;

/// <summary>
/// Converts between the proto3 JSON mapping and the protobuf wire format for any message whose
/// descriptor is known, without generated types (Google.Protobuf for C# has no DynamicMessage).
/// </summary>
/// <remarks>
/// Covers every scalar type (64-bit integers as JSON strings, bytes as base64, enums by name or
/// number, NaN and infinities as strings), nested messages, repeated fields (packed and not on
/// read, as the descriptor says on write), maps, and oneofs. Well-known types are treated as
/// plain messages (a <c>Timestamp</c> is <c>{"seconds":..,"nanos":..}</c>, not an RFC 3339 string).
/// Output follows Google.Protobuf's <c>JsonFormatter</c> defaults: lowerCamelCase JSON names,
/// fields without presence omitted at their default value.
/// </remarks>
internal static partial class DynamicMessageCodec
{
    /// <summary>
    /// The deepest JSON the codec reads or writes: System.Text.Json's default reading depth, which
    /// request JSON is parsed with, so every response it prints can be sent back as a request.
    /// </summary>
    public const int MaxJsonDepth = 64;

    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions IndentedWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Encodes a JSON text as a <paramref name="descriptor"/> message.</summary>
    /// <exception cref="JsonCodecException">The JSON is malformed or does not fit the message (the message names the field).</exception>
    public static byte[] FromJson(MessageDescriptor descriptor, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw new JsonCodecException("", $"the request is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            return Encode(descriptor, document.RootElement);
        }
    }

    /// <summary>Encodes a JSON value (an object) as a <paramref name="descriptor"/> message.</summary>
    public static byte[] Encode(MessageDescriptor descriptor, JsonElement json)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        WriteMessage(output, descriptor, json, "");
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>Decodes a <paramref name="descriptor"/> message into JSON text.</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid message of that type.</exception>
    /// <exception cref="InvalidDataException">A field has the wrong wire type, or the message is nested past <see cref="MaxJsonDepth"/>.</exception>
    public static string ToJson(MessageDescriptor descriptor, ReadOnlySpan<byte> data, bool indented = false, bool emitDefaults = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriter : CompactWriter))
        {
            WriteJson(descriptor, data.ToArray(), writer, emitDefaults);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Decodes a <paramref name="descriptor"/> message and writes it as one JSON object; <paramref name="emitDefaults"/> also writes the fields at their default value.</summary>
    public static void WriteJson(MessageDescriptor descriptor, byte[] data, Utf8JsonWriter writer, bool emitDefaults = false)
    {
        var fields = ReadFields(descriptor, data);
        WriteObject(writer, descriptor, fields, emitDefaults);
    }

    private static FieldDescriptor? FindField(MessageDescriptor descriptor, string jsonName)
    {
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (string.Equals(field.JsonName, jsonName, StringComparison.Ordinal) || string.Equals(field.Name, jsonName, StringComparison.Ordinal))
            {
                return field;
            }
        }
        return null;
    }

    private static WireFormat.WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };

    private static bool IsPackable(FieldType type) => WireTypeOf(type) is WireFormat.WireType.Varint or WireFormat.WireType.Fixed32 or WireFormat.WireType.Fixed64;

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
