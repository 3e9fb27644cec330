using System.Net;
using System.Net.Sockets;
using Shoal.Cli.Commands;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Call;

/// <summary>What a new user met first with <c>shoal call</c>, each run as the user runs it: the built CLI as a process.</summary>
public sealed class CallNewUserTests(ShoalGreeterServer server) : IClassFixture<ShoalGreeterServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DataAtFile_ReadsTheFileAsTheRequestJson()
    {
        var file = Path.Combine(Path.GetTempPath(), $"shoal-request-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"name":"From a file"}""");
        try
        {
            var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "call", server.Native, "hello.Greeter/SayHello", "-d", "@" + file);

            Assert.True(exitCode == 0, error);
            Assert.Equal("{\"message\":\"Hello From a file\"}\n", output.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("shoal")]
    [InlineData("http")]
    public async Task RefusedConnection_SaysConnectionRefusedWithTheAddress(string scheme)
    {
        var port = ClosedPort();

        var (exitCode, _, error) = await CliProcess.RunAsync(Timeout, null, "call", $"{scheme}://127.0.0.1:{port}", "list", "--timeout", "20s");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal($"ERROR: Unavailable: connection refused by 127.0.0.1:{port} ({scheme}://127.0.0.1:{port})", error.Trim());
    }

    [Fact]
    public async Task UnreachableRegistry_SaysTheRegistryIsUnreachable()
    {
        var port = ClosedPort();

        var (exitCode, _, error) = await CliProcess.RunAsync(Timeout, null, "call", $"registry://127.0.0.1:{port}/hello.Greeter", "list", "--timeout", "20s");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal($"ERROR: Unavailable: registry registry://127.0.0.1:{port} unreachable: connection refused", error.Trim());
    }

    [Fact]
    public async Task ReachableRegistryWithoutTheService_SaysTheServiceHasNoInstances()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var registry = await EmbeddedRegistryHost.StartAsync(cancel.Token);

        var (exitCode, _, error) = await CliProcess.RunAsync(Timeout, null, "call", $"{registry.Address}/hello.Nobody", "list", "--timeout", "5s");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith($"ERROR: Unavailable: service hello.Nobody has no instances in registry {registry.Address}", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task UnknownTargetScheme_ExitsTwoWithOneLineNamingTheKnownSchemes()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "call", "foo://127.0.0.1:1", "list");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("shoal: unknown target scheme 'foo://'", line, StringComparison.Ordinal);
        foreach (var scheme in new[] { "shoal://", "http://", "static://", "dns://", "registry://", "etcd://" })
        {
            Assert.Contains(scheme, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EmitDefaults_PrintsFieldsAtTheirDefaultValue()
    {
        var (plainExit, plain, plainError) = await CliProcess.RunAsync(Timeout, null, "call", server.Native, "shoal.bench.Benchmark/Echo", "{}");
        var (exitCode, output, error) = await CliProcess.RunAsync(Timeout, null, "call", server.Native, "shoal.bench.Benchmark/Echo", "{}", "--emit-defaults");

        Assert.True(plainExit == 0, plainError);
        Assert.True(exitCode == 0, error);
        Assert.Equal("{}", plain.Trim());
        Assert.Equal("{\"body\":\"\"}", output.Trim());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("simulate")]
    public async Task AutoscaleHelp_ShowsNoAdditionalArguments(string command)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("autoscale", command, "--help");

        Assert.True(exitCode == 0, error);
        Assert.Contains("--json", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", output, StringComparison.OrdinalIgnoreCase);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
