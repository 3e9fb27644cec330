using System.Globalization;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// The shop's four programs (samples/Shop), found at run time: shoal references nothing under
/// samples/, so it starts them as processes from wherever they were built.
/// </summary>
internal static class ShopPrograms
{
    /// <summary>The services (Orders last: it calls the others, so it is drained first).</summary>
    public static readonly IReadOnlyList<string> Services = ["Inventory", "Payment", "Shipping", "Orders"];

    /// <summary>The environment variable naming the folder that holds <c>Shop.&lt;Service&gt;/Shop.&lt;Service&gt;.dll</c>.</summary>
    public const string DirectoryVariable = "SHOAL_SHOP_DIR";

    private const string NicePath = "/usr/bin/nice";

    /// <summary>
    /// The path of <c>Shop.{service}.dll</c>: in <paramref name="directory"/> (<c>--shop-dir</c>), else in
    /// <c>$SHOAL_SHOP_DIR</c>, else where building the repository puts it (<c>samples/Shop/Shop.{service}/bin/</c>
    /// with shoal's own configuration and target framework). A one-line error says how to build it when it is not there.
    /// </summary>
    public static string Locate(string? directory, string service)
    {
        var name = "Shop." + service;
        directory ??= Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } variable ? variable : null;
        if (directory is not null)
        {
            var given = Path.Combine(directory, name, name + ".dll");
            return File.Exists(given)
                ? given
                : throw new UsageException($"the shop's programs are not in {directory}: no {given} (the folder needs Shop.<Service>/Shop.<Service>.dll for Inventory, Payment, Shipping and Orders).");
        }
        // shoal runs from src/Shoal.Cli/bin/<configuration>/<tfm>/ in a repository build.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent?.Name ?? "Release";
        var repository = RepositoryRoot(tfm);
        var built = repository is null ? null : Path.Combine(repository, "samples", "Shop", name, "bin", configuration, tfm.Name, name + ".dll");
        return built is not null && File.Exists(built)
            ? built
            : throw new UsageException(repository is null
                ? $"the shop's programs were not found: shoal is not running from a Shoal repository build; give --shop-dir or {DirectoryVariable} (a folder with Shop.<Service>/Shop.<Service>.dll)."
                : $"the shop's programs are not built (no {built}); build them with: dotnet build {Path.Combine(repository, "samples", "Shop", "Shop.slnf")} -c {configuration}");
    }

    /// <summary>The Shoal repository holding <paramref name="start"/>, or null.</summary>
    public static string? RepositoryRoot(DirectoryInfo? start)
    {
        for (var folder = start; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Shoal.slnx")) && Directory.Exists(Path.Combine(folder.FullName, "samples", "Shop")))
            {
                return folder.FullName;
            }
        }
        return null;
    }

    /// <summary>
    /// A program's arguments after its name, as processes and containers both run it: native only on
    /// <paramref name="port"/> of 127.0.0.1, registered in <paramref name="registry"/> under the actuator's
    /// instance id, one SQLite file per service in <paramref name="dataDirectory"/> that every instance
    /// shares, load windows of one second (the demo's time is compressed), and the registry token when
    /// the registry is members only (Orders also watches the registry with it).
    /// </summary>
    public static IReadOnlyList<string> Arguments(ShopDemoSettings settings, string service, string registry, string dataDirectory, string port)
    {
        IReadOnlyList<string> arguments =
        [
            "--host", "127.0.0.1", "--tcp-port", port, "--grpc-port", "-1", "--registry", registry,
            "--instance-id", "{instance}", "--db", dataDirectory + "/" + service.ToLowerInvariant() + ".db",
            "--Shoal:Server:Load:Window", "00:00:01",
            .. (settings.RegistryTokenFile is { } token ? (string[])["--registry-token-file", Path.GetFullPath(token)] : []),
        ];
        return service switch
        {
            "Inventory" => [.. arguments, "--capacity", settings.Capacity.ToString(CultureInfo.InvariantCulture), "--initial-stock", ShopOrderLoad.InitialStock.ToString(CultureInfo.InvariantCulture)],
            // Time is compressed: a new Inventory instance takes its full share within two seconds.
            "Orders" => [.. arguments, "--Shoal:Clients:Inventory:Channel:Cluster:LoadBalancing:WarmupPeriod", "00:00:02"],
            _ => arguments,
        };
    }

    /// <summary>Instances of <paramref name="service"/> as processes: <c>dotnet Shop.X.dll</c> with <see cref="Arguments"/> on a free port.</summary>
    public static LocalProcessOptions Options(ShopDemoSettings settings, string service, string registry, string dataDirectory)
    {
        var dll = Locate(settings.ProgramsDirectory, service);
        IReadOnlyList<string> arguments = [dll, .. Arguments(settings, service, registry, dataDirectory, "{port}")];
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
