using System.Globalization;
using Shoal.FunctionalTests.Telemetry.Otlp;

namespace Shoal.FunctionalTests.Telemetry;

/// <summary>One span as an OTLP exporter sent it, with the <c>service.name</c> of the process that sent it.</summary>
public sealed record ExportedSpan(
    string Service,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    Status.Types.StatusCode Status,
    string StatusMessage,
    ulong StartNanos,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>An attribute's value as text, or null.</summary>
    public string? Tag(string key) => Attributes.TryGetValue(key, out var value) ? value : null;

    /// <summary>The spans of one decoded OTLP trace export.</summary>
    public static IEnumerable<ExportedSpan> From(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = Text(resource.Resource?.Attributes, "service.name") ?? "";
            foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
            {
                yield return new ExportedSpan(
                    service,
                    Convert.ToHexStringLower(span.TraceId.Span),
                    Convert.ToHexStringLower(span.SpanId.Span),
                    Convert.ToHexStringLower(span.ParentSpanId.Span),
                    span.Name,
                    span.Kind,
                    span.Status?.Code ?? Otlp.Status.Types.StatusCode.Unset,
                    span.Status?.Message ?? "",
                    span.StartTimeUnixNano,
                    span.Attributes.ToDictionary(a => a.Key, a => Format(a.Value), StringComparer.Ordinal));
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Service} {Kind} '{Name}' {SpanId} <- {ParentSpanId} {Status} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]";

    private static string? Text(IEnumerable<KeyValue>? attributes, string key)
        => attributes?.FirstOrDefault(a => a.Key == key) is { } found ? Format(found.Value) : null;

    private static string Format(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };
}
