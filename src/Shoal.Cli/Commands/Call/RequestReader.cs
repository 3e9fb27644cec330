using System.Text;
using System.Text.Json;
using Shoal.Cli.Reflection;

namespace Shoal.Cli.Commands.Call;

/// <summary>
/// Reads the request messages of <c>shoal call</c>: one JSON object, or for client and
/// bidirectional streaming a JSON array of objects or newline-delimited JSON objects.
/// </summary>
internal static class RequestReader
{
    /// <summary>Parses <paramref name="text"/> into the request values; empty text is one empty object.</summary>
    /// <exception cref="FormatException">The text is not JSON, or a single request was expected and several came.</exception>
    public static IReadOnlyList<JsonElement> Read(string text, bool streaming)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return streaming ? [] : [Parse("{}")];
        }
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions
        {
            AllowMultipleValues = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = DynamicMessageCodec.MaxJsonDepth,
        });
        try
        {
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                values.Add(document.RootElement.Clone());
            }
        }
        catch (JsonException ex)
        {
            var which = values.Count == 0 ? "the request" : $"request {values.Count + 1}";
            throw new FormatException($"{which} is not valid JSON: {ex.Message}");
        }

        // A single array holds the requests of a streaming call.
        if (streaming && values is [{ ValueKind: JsonValueKind.Array } array])
        {
            return array.EnumerateArray().ToList();
        }
        if (!streaming && values.Count != 1)
        {
            throw new FormatException($"this method takes one request message; got {values.Count} JSON values.");
        }
        if (!streaming && values[0].ValueKind == JsonValueKind.Array)
        {
            throw new FormatException("this method takes one request message (a JSON object), not an array.");
        }
        return values;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
