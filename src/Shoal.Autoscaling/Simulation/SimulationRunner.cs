using System.Globalization;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// The logic behind <c>shoal autoscale simulate</c>: loads or generates the trace, runs one policy or
/// the comparison, and writes the report. The command-line layer only parses flags into a
/// <see cref="SimulationRequest"/>.
/// </summary>
public static class SimulationRunner
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for bad input (missing file, bad duration, bad trace, …).</summary>
    public const int BadInput = 2;

    /// <summary>Runs a request.</summary>
    /// <param name="request">What to do.</param>
    /// <param name="output">Where the report goes.</param>
    /// <param name="error">Where the one-line error goes on bad input.</param>
    /// <returns>The process exit code: 0, or 2 on bad input.</returns>
    public static int Run(SimulationRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var trace = LoadTrace(request);
            var options = BuildOptions(request, trace);
            var shoal = ShoalOptions(request);
            if (request.Compare)
            {
                var result = FrontierComparison.Run(trace, options, shoal, Environment.ProcessorCount);
                if (!request.Json && trace.Source is { } source)
                {
                    output.WriteLine("values read as " + source);
                }

                output.WriteLine(request.Json ? ReportFormatter.ToJson(result, request.Timeline) : ReportFormatter.ToText(result));
                return Ok;
            }

            var report = request.Policy switch
            {
                "shoal" => ClusterSimulator.Run(trace, FairComparison.CreateShoal(trace, options, shoal), options),
                "hpa" => ClusterSimulator.Run(trace, FairComparison.CreateHpa(options, request.HpaTarget), options, request.HpaTarget),
                _ => throw new RequestException($"unknown policy '{request.Policy}' (expected shoal or hpa)"),
            };
            output.WriteLine(request.Json ? ReportFormatter.ToJson(report) : ReportFormatter.ToText(report));
            return Ok;
        }
        catch (Exception e) when (e is RequestException or TraceFormatException or FileNotFoundException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine("shoal: " + OneLine(e.Message));
            return BadInput;
        }
    }

    private static LoadTrace LoadTrace(SimulationRequest request)
    {
        if (request.TracePath is not null && request.Synthetic is not null)
        {
            throw new RequestException("give either --trace or --synthetic, not both");
        }

        if (request.Synthetic is { } name)
        {
            if (!TraceCorpus.IsFamily(name))
            {
                throw new RequestException($"unknown synthetic trace '{name}' (expected one of: {string.Join(", ", TraceCorpus.Families)})");
            }

            return TraceCorpus.Generate(name, request.Seed);
        }

        if (request.TracePath is not { } path)
        {
            throw new RequestException($"give --trace FILE or --synthetic {string.Join('|', TraceCorpus.Families)}");
        }

        var values = request.Values.Trim().ToLowerInvariant() switch
        {
            "auto" => TraceValueKind.Auto,
            "count" => TraceValueKind.Count,
            "rate" => TraceValueKind.Rate,
            _ => throw new RequestException($"bad --values '{request.Values}' (expected auto, count or rate)"),
        };
        TimeSpan? interval = null;
        if (request.Interval is { } text)
        {
            if (!DurationText.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero)
            {
                throw new RequestException($"bad --interval '{text}' (expected e.g. 1m, 15s)");
            }

            interval = parsed;
        }

        try
        {
            return TraceReader.Read(path, values, interval);
        }
        catch (TraceFormatException e)
        {
            throw new RequestException($"{path}: {e.Message}");
        }
    }

    private static SimulationOptions BuildOptions(SimulationRequest request, LoadTrace trace)
    {
        if (!DurationText.TryParse(request.Startup, out var startup))
        {
            throw new RequestException($"bad --startup '{request.Startup}' (expected e.g. 60s, 2m, 1500ms)");
        }

        if (!DurationText.TryParse(request.Drain, out var drain))
        {
            throw new RequestException($"bad --drain '{request.Drain}' (expected e.g. 30s)");
        }

        if (!(request.HpaTarget > 0 && request.HpaTarget <= 1.5))
        {
            throw new RequestException(string.Create(CultureInfo.InvariantCulture, $"bad --hpa-target {request.HpaTarget} (expected a fraction such as 0.7)"));
        }

        if (request.Capacity is { } c && !(c > 0 && double.IsFinite(c)))
        {
            throw new RequestException(string.Create(CultureInfo.InvariantCulture, $"bad --capacity {c} (expected requests per second per replica, > 0)"));
        }

        var capacity = request.Capacity ?? DefaultCapacity(trace);
        return new SimulationOptions { CapacityPerInstance = capacity, Startup = startup, Drain = drain };
    }

    private static ShoalPolicyOptions? ShoalOptions(SimulationRequest request)
    {
        if (request.Nines is not { } nines)
        {
            return null;
        }

        if (!(nines > 0 && nines <= 300))
        {
            throw new RequestException(string.Create(CultureInfo.InvariantCulture, $"bad --nines {nines} (expected a number of nines in (0, 300], such as 3 for the 99.9% quantile)"));
        }

        return new ShoalPolicyOptions { Nines = nines };
    }

    /// <summary>The default capacity per replica: the trace's peak rate over 20, so the peak needs about 20 replicas.</summary>
    /// <param name="trace">The trace.</param>
    /// <returns>Requests per second per replica.</returns>
    public static double DefaultCapacity(LoadTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return Math.Max(trace.PeakRequestsPerSecond / 20, 1e-6);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class RequestException(string message) : Exception(message);
}
