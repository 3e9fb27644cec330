using Grpc.Core;
using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Demo.Shop;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;
using Shoal.Client.Discovery.Embedded.Protocol;

namespace Shoal.Cli.Tests.Commands.Demo;

/// <summary>
/// <c>shoal demo --registry-token-file</c>: the demo's embedded registry members only, and the token
/// handed to every process it starts. The whole Greeter demo with a token runs in AutoscaleDemoEndToEndTests.
/// </summary>
public sealed class DemoRegistryTokenTests : IDisposable
{
    private const string Token = "demo-test-token-8c41";
    private readonly string _directory = Directory.CreateTempSubdirectory("shoal-demo-token-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("demo", "--duration", "10s")]
    [InlineData("demo", "--app", "shop", "--duration", "10s")]
    public async Task Demo_RegistryTokenFileMissing_OneLineOnStderrExitTwoBeforeAnythingStarts(params string[] args)
    {
        var missing = Path.Combine(_directory, "no-such-token");

        var (exitCode, output, error) = await CliRun.RunAsync([.. args, "--registry-token-file", missing]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"shoal: --registry-token-file: the token file '{missing}' does not exist.", line);
    }

    [Fact]
    public async Task Demo_RegistryTokenFileEmpty_OneLineOnStderrExitTwo()
    {
        var empty = Path.Combine(_directory, "empty-token");
        await File.WriteAllTextAsync(empty, "  \n");

        var (exitCode, output, error) = await CliRun.RunAsync("demo", "--registry-token-file", empty);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("shoal: --registry-token-file: ", line, StringComparison.Ordinal);
        Assert.Contains(empty, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoQuick_WithRegistryTokenFile_UsageErrorItRunsNoRegistry()
    {
        var (exitCode, output, error) = await CliRun.RunAsync("demo", "--quick", "--registry-token-file", WriteToken());

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(output);
        Assert.Contains("--quick runs no registry", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoRegistry_WithTokenFile_RefusesAStrangerAndTakesAMember()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var registry = await EmbeddedRegistryHost.StartAsync(WriteToken(), cancel.Token);
        await using var channel = ShoalChannel.ForTarget("shoal://" + registry.Address["registry://".Length..]);
        var client = new RegistryService.RegistryServiceClient(channel);

        var stranger = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register("stranger-1"), cancellationToken: cancel.Token).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register("stranger-2"), Bearer("not-the-token"), cancellationToken: cancel.Token).ResponseAsync);
        var member = await client.RegisterAsync(Register("member-1"), Bearer(Token), cancellationToken: cancel.Token);

        Assert.Equal(StatusCode.Unauthenticated, stranger.StatusCode);
        Assert.Contains("requires a token", stranger.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.NotEqual(0L, member.LeaseId);
    }

    [Fact]
    public void ShopPrograms_WithTokenFile_EveryProgramGetsItByFullPath()
    {
        foreach (var service in ShopPrograms.Services)
        {
            Directory.CreateDirectory(Path.Combine(_directory, "Shop." + service));
            File.WriteAllText(Path.Combine(_directory, "Shop." + service, $"Shop.{service}.dll"), "");
        }
        var token = WriteToken();
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, token);
        var members = new ShopDemoSettings { ProgramsDirectory = _directory, RegistryTokenFile = relative };
        var open = members with { RegistryTokenFile = null };

        foreach (var service in ShopPrograms.Services)
        {
            var arguments = ShopPrograms.Options(members, service, "registry://127.0.0.1:1", _directory).Arguments.ToList();
            var flag = arguments.IndexOf("--registry-token-file");
            Assert.True(flag >= 0 && flag + 1 < arguments.Count, $"{service}: {string.Join(' ', arguments)}");
            // The programs run in their own folders: a relative path would not find the file.
            Assert.Equal(token, arguments[flag + 1]);
            Assert.DoesNotContain("--registry-token-file", ShopPrograms.Options(open, service, "registry://127.0.0.1:1", _directory).Arguments);
        }
    }

    private string WriteToken()
    {
        var path = Path.Combine(_directory, "token");
        File.WriteAllText(path, Token + "\n");
        return path;
    }

    private static RegisterRequest Register(string id)
    {
        var instance = new Instance { InstanceId = id };
        instance.Services.Add("hello.Greeter");
        instance.Addresses.Add("native", "shoal://127.0.0.1:9001");
        return new RegisterRequest { Instance = instance, TtlMs = 10_000 };
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
}
