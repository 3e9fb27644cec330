using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shoal.Cli.Tests.Commands;

/// <summary>
/// The members-only registry as a user runs it: <c>shoal registry --token-file</c>, three
/// <c>shoal serve --registry-token-file</c> processes, and cluster clients with and without the token.
/// </summary>
public sealed class RegistryTokenProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(90);
    private readonly string _tokenFile = WriteToken();

    public void Dispose() => File.Delete(_tokenFile);

    private static string WriteToken()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shoal-cli-token-{Guid.NewGuid():N}");
        File.WriteAllText(path, "process-test-token-5b2f\n");
        return path;
    }

    [Fact]
    public async Task RegistryWithToken_ThreeServers_MemberBenchHasNoErrors_StrangerGetsOneClearLine()
    {
        await using var cluster = await ProcessCluster.StartAsync(servers: 3, tokenFile: _tokenFile);

        var member = await CliProcess.RunAsync(Run, null,
            "bench", "--target", cluster.Target, "--registry-token-file", _tokenFile,
            "--concurrency", "6", "--duration", "2s", "--warmup", "0s", "--warmup-extend", "0", "--json");
        var memberCall = await CliProcess.RunAsync(Run, null,
            "call", cluster.Target, "hello.Greeter/SayHello", "{\"name\":\"member\"}", "--registry-token-file", _tokenFile, "--timeout", "30s");
        var stranger = await CliProcess.RunAsync(Run, null,
            "call", cluster.Target, "hello.Greeter/SayHello", "{\"name\":\"stranger\"}", "--timeout", "30s");
        var registry = cluster.Target[..cluster.Target.LastIndexOf('/')];
        var memberList = await CliProcess.RunAsync(Run, null, "registry", "list", "hello.Greeter", "--registry", registry, "--registry-token-file", _tokenFile);
        var strangerList = await CliProcess.RunAsync(Run, null, "registry", "list", "--registry", registry);

        Assert.True(member.ExitCode == 0, member.Error);
        using var document = JsonDocument.Parse(member.Output);
        var result = Assert.Single(document.RootElement.GetProperty("results").EnumerateArray());
        output.WriteLine($"member bench: {result.GetProperty("requests").GetInt64()} calls, {result.GetProperty("errors").GetInt64()} errors");
        Assert.True(result.GetProperty("requests").GetInt64() > 0);
        Assert.Equal(0, result.GetProperty("errors").GetInt64());

        Assert.True(memberCall.ExitCode == 0, memberCall.Error);
        Assert.Contains("Hello member", memberCall.Output, StringComparison.Ordinal);

        Assert.True(memberList.ExitCode == 0, memberList.Error);
        Assert.Equal(3, memberList.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.NotEqual(0, strangerList.ExitCode);
        Assert.Equal("", strangerList.Output);
        Assert.Contains("Unauthenticated", strangerList.Error, StringComparison.Ordinal);

        output.WriteLine($"stranger: exit {stranger.ExitCode}, stderr: {stranger.Error}");
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Equal("", stranger.Output);
        var line = Assert.Single(stranger.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("ERROR: Unauthenticated:", line, StringComparison.Ordinal);
        Assert.Contains("requires a token", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_NonLoopbackHostWithoutToken_UsageErrorOneLine()
    {
        var result = await CliProcess.RunAsync(Run, null, "registry", "--host", "0.0.0.0", "--port", "0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--token-file", line, StringComparison.Ordinal);
        Assert.Contains("--insecure", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingRegistryTokenFile_OneClearLineNonZeroExit()
    {
        var result = await CliProcess.RunAsync(Run, null,
            "serve", "--tcp-port", "0", "--grpc-port", "0", "--registry", "registry://127.0.0.1:1", "--registry-token-file", _tokenFile + ".missing");

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("RegistryTokenFile", line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
    }
}
