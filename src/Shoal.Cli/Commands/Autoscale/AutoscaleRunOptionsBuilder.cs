using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Containers;
using Shoal.Autoscaling.Hosting;
using Shoal.Autoscaling.Kubernetes;

namespace Shoal.Cli.Commands.Autoscale;

/// <summary>
/// Builds the autoscaler's options for <c>shoal autoscale run</c>: the <c>Shoal:Autoscaler</c> section of
/// the <c>--config</c> file, then the flags on top, and the actuator providers (each package's one
/// registration call, bound from the same file). Every problem is a <see cref="UsageException"/>
/// (exit code 2, one line on stderr).
/// </summary>
internal static class AutoscaleRunOptionsBuilder
{
    /// <summary>The options, the actuator providers to choose from, and how long to run (null: until stopped).</summary>
    public static (ShoalAutoscalerOptions Options, IReadOnlyList<IScaleActuatorProvider> Actuators, TimeSpan? Duration) Build(AutoscaleRunSettings settings)
    {
        var configuration = FromFile(settings.ConfigFile);
        var options = new ShoalAutoscalerOptions();
        configuration.GetSection(ShoalAutoscalerOptions.SectionName).Bind(options);
        options.Registry = settings.Registry ?? options.Registry;
        options.Service = settings.Service ?? options.Service;
        options.Actuator = settings.Actuator?.Trim().ToLowerInvariant() ?? options.Actuator;
        if (settings.Command is not null)
        {
            var words = SplitCommand(settings.Command);
            if (words.Count == 0)
            {
                throw new UsageException("--command is empty; give the command that starts one instance, such as \"dotnet Greeter.Server.dll --port {port}\".");
            }
            options.Local.Command = words[0];
            options.Local.Arguments = [.. words.Skip(1)];
        }
        options.MinReplicas = Integer(settings.Min, "--min") ?? options.MinReplicas;
        options.MaxReplicas = Integer(settings.Max, "--max") ?? options.MaxReplicas;
        if (settings.Capacity is not null)
        {
            options.Capacity = settings.Capacity.Equals("learned", StringComparison.OrdinalIgnoreCase) ? null : Number(settings.Capacity, "--capacity");
        }
        options.Interval = Duration(settings.Interval, "--interval") ?? options.Interval;
        options.LeadTime = Duration(settings.LeadTime, "--lead-time") ?? options.LeadTime;
        var duration = Duration(settings.Duration, "--duration");
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw new UsageException("--duration must be positive.");
        }
        if (options.ForecastInterval is null && options.Interval > TimeSpan.Zero)
        {
            options.ForecastInterval = options.Interval * 4;
        }

        var actuators = Actuators(configuration, settings);
        var failures = ShoalAutoscalerOptionsValidator.Check(options, actuators);
        if (failures.Count > 0)
        {
            throw new UsageException(ToFlags(failures[0]));
        }
        return (options, actuators, duration);
    }

    private static IScaleActuatorProvider[] Actuators(IConfiguration configuration, AutoscaleRunSettings settings)
    {
        var services = new ServiceCollection()
            .AddShoalKubernetesActuator(configuration, kubernetes =>
            {
                kubernetes.Deployment = settings.Deployment ?? kubernetes.Deployment;
                kubernetes.Namespace = settings.Namespace ?? kubernetes.Namespace;
            })
            .AddShoalContainerActuator(configuration);
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetServices<IScaleActuatorProvider>()];
    }

    /// <summary>Splits a command line on spaces; double quotes group words.</summary>
    public static List<string> SplitCommand(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var inWord = false;
        foreach (var c in command)
        {
            if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quoted)
        {
            throw new UsageException("--command has an unclosed double quote.");
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    private static IConfiguration FromFile(string? path)
    {
        if (path is null)
        {
            return new ConfigurationBuilder().Build();
        }
        if (!File.Exists(path))
        {
            throw new UsageException($"--config '{path}' does not exist.");
        }
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
            // Bind once here so a value that does not convert is reported as a bad file.
            configuration.GetSection(ShoalAutoscalerOptions.SectionName).Bind(new ShoalAutoscalerOptions());
            return configuration;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new UsageException($"--config '{path}' could not be read: {CommandRunner.Describe(e)}");
        }
    }

    private static int? Integer(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{name} expects a whole number, got '{text}'.");
    }

    private static double Number(string text, string name)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"{name} expects a number (or 'learned'), got '{text}'.");

    private static TimeSpan? Duration(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }
        return DurationParser.TryParse(text, out var value)
            ? value
            : throw new UsageException($"{name}: '{text}' is not a duration; use for example 10s, 500ms, 2m or 1.5 (seconds).");
    }

    /// <summary>Names the flag beside the configuration key, so a command-line user knows what to change.</summary>
    private static string ToFlags(string failure)
    {
        var prefix = ShoalAutoscalerOptions.SectionName + ":";
        var text = failure.StartsWith(prefix, StringComparison.Ordinal) ? failure[prefix.Length..] : failure;
        var flag = text switch
        {
            _ when text.StartsWith("Registry", StringComparison.Ordinal) => "--registry",
            _ when text.StartsWith("Actuator", StringComparison.Ordinal) => "--actuator",
            _ when text.StartsWith("Local:Command", StringComparison.Ordinal) => "--command",
            _ when text.StartsWith("Kubernetes:Deployment", StringComparison.Ordinal) => "--deployment",
            _ when text.StartsWith("Kubernetes:Namespace", StringComparison.Ordinal) => "--namespace",
            _ when text.Contains("MinReplicas", StringComparison.Ordinal) => "--min/--max",
            _ when text.StartsWith("Capacity", StringComparison.Ordinal) => "--capacity",
            _ when text.StartsWith("Interval", StringComparison.Ordinal) => "--interval",
            _ => null,
        };
        return flag is null ? text.TrimStart(' ', ':') : $"{flag}: {text.TrimStart(' ', ':')}";
    }
}
