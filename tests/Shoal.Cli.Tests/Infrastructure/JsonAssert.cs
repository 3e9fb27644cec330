using System.Text.Json;

namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>Compares JSON documents by meaning: property order and number spelling (1 vs 1.0) do not matter.</summary>
internal static class JsonAssert
{
    public static void Equivalent(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        var difference = Compare(e.RootElement, a.RootElement, "$");
        Assert.True(difference is null, $"{difference}\nexpected: {expected}\nactual:   {actual}");
    }

    private static string? Compare(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind}, got {actual.ValueKind}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order().ToList();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).Order().ToList();
                if (!expectedNames.SequenceEqual(actualNames))
                {
                    return $"{path}: expected properties [{string.Join(",", expectedNames)}], got [{string.Join(",", actualNames)}]";
                }
                foreach (var property in expected.EnumerateObject())
                {
                    if (Compare(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var ea = expected.EnumerateArray().ToList();
                var aa = actual.EnumerateArray().ToList();
                if (ea.Count != aa.Count)
                {
                    return $"{path}: expected {ea.Count} elements, got {aa.Count}";
                }
                for (var i = 0; i < ea.Count; i++)
                {
                    if (Compare(ea[i], aa[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case JsonValueKind.Number:
                return expected.GetDouble().Equals(actual.GetDouble()) ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return null;
        }
    }
}
