using System.Globalization;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// The shop's four programs (samples/Shop), which the build copies beside shoal into
/// <c>shop/Shop.&lt;Service&gt;/</c>, and how the demo starts instances of them.
/// </summary>
internal static class ShopPrograms
{
    /// <summary>The services, in the order they start (Orders last: it calls the others).</summary>
    public static readonly IReadOnlyList<string> Services = ["Inventory", "Payment", "Shipping", "Orders"];

    private const string NicePath = "/usr/bin/nice";

    /// <summary>The path of <c>Shop.{service}.dll</c>; a clear error when the build did not put it there.</summary>
    public static string Locate(string? directory, string service)
    {
        var root = directory ?? Path.Combine(AppContext.BaseDirectory, "shop");
        var path = Path.Combine(root, "Shop." + service, "Shop." + service + ".dll");
        return File.Exists(path)
            ? path
            : throw new UsageException($"the shop's programs are not at {root} (building src/Shoal.Cli copies samples/Shop there): no {path}.");
    }

    /// <summary>
    /// Instances of <paramref name="service"/> as processes: <c>dotnet Shop.X.dll</c> on a free port
    /// (native only), registered in <paramref name="registry"/>, sharing one SQLite file per service
    /// in <paramref name="dataDirectory"/>, load windows of one second (the demo's time is compressed).
    /// </summary>
    public static LocalProcessOptions Options(ShopDemoSettings settings, string service, string registry, string dataDirectory)
    {
        var dll = Locate(settings.ProgramsDirectory, service);
        IReadOnlyList<string> arguments =
        [
            dll, "--host", "127.0.0.1", "--tcp-port", "{port}", "--grpc-port", "-1", "--registry", registry,
            "--instance-id", "{instance}", "--db", Path.Combine(dataDirectory, service.ToLowerInvariant() + ".db"),
            "--Shoal:Server:Load:Window", "00:00:01",
        ];
        arguments = service switch
        {
            "Inventory" => [.. arguments, "--capacity", settings.Capacity.ToString(CultureInfo.InvariantCulture), "--initial-stock", ShopOrderLoad.InitialStock.ToString(CultureInfo.InvariantCulture)],
            // Time is compressed: a new Inventory instance takes its full share within two seconds.
            "Orders" => [.. arguments, "--Shoal:Clients:Inventory:Channel:Cluster:LoadBalancing:WarmupPeriod", "00:00:02"],
            _ => arguments,
        };
        // Instances run under nice where it exists: a burst of start-ups (JIT on 2 cores) must not
        // starve the demo's own client and registry, which stand for other machines.
        var nice = File.Exists(NicePath);
        return new LocalProcessOptions
        {
            FileName = nice ? NicePath : "dotnet",
            Arguments = nice ? ["-n", "10", "dotnet", .. arguments] : arguments,
            WorkingDirectory = Path.GetDirectoryName(dll),
            GracePeriod = TimeSpan.FromSeconds(10),
            RestartDelay = TimeSpan.FromMilliseconds(300),
            InstancePrefix = service.ToLowerInvariant(),
        };
    }

    /// <summary>Whether process <paramref name="pid"/> is still running (a zombie counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal) && !stat.Contains(") X ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
