using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.Server;

namespace Shoal.Packaging.Tests;

/// <summary>
/// A console app that only calls services, built from the packs as a user would build it:
/// it references <c>Shoal.Client</c> alone, and what its restore resolves holds no Kestrel, no
/// ASP.NET Core shared framework, no dotnet-etcd and no Kubernetes client.
/// </summary>
[Collection(LocalFeedCollection.Name)]
public sealed class ClientOnlyAppTests(LocalFeed feed)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ClientOnlyApp_RestoredFromThePacks_ResolvesNoAspNetCoreNoEtcd()
    {
        var app = WriteApp("client-app", ["Shoal.Client"]);

        await DotnetCommand.RunAsync(app, RestoreTimeout, null, "restore", "-nologo", "-v", "quiet");

        var graph = RestoredGraph.Read(app);
        Assert.Contains("Shoal.Client", graph);
        Assert.Contains("Shoal.Core", graph);
        Assert.Contains("Grpc.Net.Client", graph);
        var offending = RestoredGraph.Offending(graph, RestoredGraph.ForbiddenForClients);
        Assert.True(offending.Length == 0, $"a client-only app resolves {string.Join(", ", offending)}");
    }

    [Fact]
    public async Task ServerApp_RestoredFromThePacks_ShowsAspNetCoreAndEtcdSoTheCheckCanSeeThem()
    {
        // The same check on an app that does reference the server and the etcd provider must fail.
        var app = WriteApp("server-app", ["Shoal.Server", "Shoal.Registry.Etcd"]);

        await DotnetCommand.RunAsync(app, RestoreTimeout, null, "restore", "-nologo", "-v", "quiet");

        var offending = RestoredGraph.Offending(RestoredGraph.Read(app), RestoredGraph.ForbiddenForClients);
        Assert.Contains("Microsoft.AspNetCore.App", offending);
        Assert.Contains(RestoredGraph.Etcd, offending);
        Assert.Contains("Shoal.Server", offending);
    }

    [Fact]
    public async Task ClientOnlyApp_BuiltFromThePacks_CallsAServerOnTheNativeProtocol()
    {
        var app = WriteApp("client-call", ["Shoal.Client"]);
        await DotnetCommand.RunAsync(app, BuildTimeout, null, "build", "-c", "Release", "-nologo", "-v", "quiet", "-o", Path.Combine(app, "out"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = -1;
        });
        await using var server = builder.Build();
        server.MapShoalServices();
        await server.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            var target = server.GetShoalAddresses().NativeTarget!;

            var output = await DotnetCommand.RunAsync(app, TimeSpan.FromMinutes(2), null, Path.Combine(app, "out", "ClientApp.dll"), target);

            Assert.Contains("Serving", output, StringComparison.Ordinal);
        }
        finally
        {
            await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>A console project referencing <paramref name="packages"/> at the packs' version; its Program checks a server's health.</summary>
    private string WriteApp(string name, string[] packages)
    {
        var folder = feed.NewFolder(name);
        var references = string.Join("\n    ", packages.Select(p => $"<PackageReference Include=\"{p}\" Version=\"{feed.Version}\" />"));
        File.WriteAllText(Path.Combine(folder, "ClientApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using Grpc.Health.V1;
            using Shoal.Client;

            await using var channel = ShoalChannel.ForTarget(args[0]);
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
            Console.WriteLine(reply.Status);
            """);
        return folder;
    }
}
