using System.Globalization;

namespace Shoal.Benchmarks.Registry;

/// <summary>The command line of <c>registry-watch</c>.</summary>
internal sealed record BenchOptions(string[] Backends, int Instances, int[] Watchers, int Rounds, TimeSpan Ttl, int CpuLoad)
{
    public static BenchOptions Parse(string[] args)
    {
        var backends = new[] { "embedded" };
        var instances = 10_000;
        int[] watchers = [1, 10];
        var rounds = 20;
        var ttl = TimeSpan.FromSeconds(10);
        var cpuLoad = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--backend":
                    backends = value == "both" ? ["embedded", "etcd"] : value is "embedded" or "etcd" ? [value] : throw new FormatException($"--backend is embedded, etcd or both, not '{value}'.");
                    break;
                case "--instances":
                    instances = Positive(name, value);
                    break;
                case "--watchers":
                    watchers = [.. value.Split(',').Select(v => Positive(name, v))];
                    break;
                case "--rounds":
                    rounds = Positive(name, value);
                    break;
                case "--ttl":
                    ttl = TimeSpan.FromSeconds(Math.Max(3, Positive(name, value)));
                    break;
                case "--cpu-load":
                    cpuLoad = int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"--cpu-load must be 0 or more, not '{value}'.");
                    break;
                default:
                    throw new FormatException($"unknown option '{name}'; options: --backend, --instances, --watchers, --rounds, --ttl, --cpu-load.");
            }
        }
        return new BenchOptions(backends, instances, watchers, rounds, ttl, cpuLoad);
    }

    private static int Positive(string name, string value)
        => int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException($"{name} must be a positive number, not '{value}'.");
}
