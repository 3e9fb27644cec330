using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Kubernetes;

namespace Shoal.Autoscaling.Tests.Kubernetes;

/// <summary>
/// Runs the actuator against a local HTTP endpoint that answers as the Kubernetes API server documents
/// the scale subresource (GET and PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale).
/// </summary>
public sealed class KubernetesScaleActuatorTests : IAsyncLifetime
{
    private const string ScalePath = "/apis/apps/v1/namespaces/shop/deployments/greeter/scale";
    private readonly List<(string Method, string Path, string? ContentType, string Body)> _requests = [];
    private WebApplication? _server;
    private int _replicas = 3;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.Urls.Add("http://127.0.0.1:0");
        _server.Run(HandleAsync);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetReplicas_ReadsSpecReplicasOfTheScaleSubresource()
    {
        using var actuator = CreateActuator();

        Assert.Equal(3, await actuator.GetReplicasAsync());
        var request = Assert.Single(Requests());
        Assert.Equal(("GET", ScalePath), (request.Method, request.Path));
    }

    [Fact]
    public async Task Scale_SendsAMergePatchOfSpecReplicasOnly()
    {
        using var actuator = CreateActuator();
        var events = new List<ScaleEvent>();
        actuator.Changed += (_, e) => events.Add(e);

        await actuator.ScaleAsync(7);

        var requests = Requests();
        Assert.Equal(2, requests.Count);
        var patch = requests[1];
        Assert.Equal(("PATCH", ScalePath), (patch.Method, patch.Path));
        Assert.StartsWith("application/merge-patch+json", patch.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"spec":{"replicas":7}}""", JsonNode.Parse(patch.Body)!.ToJsonString());
        Assert.Equal(7, _replicas);
        var change = Assert.Single(events);
        Assert.Equal((ScaleEventKind.Scaled, 3, 7, "shop/greeter"), (change.Kind, change.From, change.To, change.Instance));
    }

    [Fact]
    public async Task Scale_ToTheCurrentCount_SendsNoPatch()
    {
        using var actuator = CreateActuator();

        await actuator.ScaleAsync(3);

        Assert.DoesNotContain(Requests(), r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Registration_ConfigurationSection_ProviderCreatesTheActuatorForThatDeployment()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Autoscaler:Kubernetes:Deployment"] = "greeter",
            ["Shoal:Autoscaler:Kubernetes:Namespace"] = "shop",
            ["Shoal:Autoscaler:Kubernetes:ApiServer"] = _server!.Urls.First(),
        }).Build();
        await using var services = new ServiceCollection().AddShoalKubernetesActuator(configuration).BuildServiceProvider();

        var provider = Assert.Single(services.GetServices<IScaleActuatorProvider>());
        Assert.Equal("kubernetes", provider.Name);
        Assert.Empty(provider.Check());
        using var actuator = Assert.IsType<KubernetesScaleActuator>(provider.Create(new ScaleActuatorContext()));

        Assert.Equal(3, await actuator.GetReplicasAsync());
        var request = Assert.Single(Requests());
        Assert.Equal(("GET", ScalePath), (request.Method, request.Path));
    }

    [Fact]
    public void Registration_NoDeployment_ProviderNamesTheKey()
    {
        var provider = new ServiceCollection().AddShoalKubernetesActuator(configure: k => k.ApiServer = "ftp://x").BuildServiceProvider()
            .GetServices<IScaleActuatorProvider>().Single();

        Assert.StartsWith("Kubernetes:Deployment is not set", Assert.Single(provider.Check()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDeployment_SurfacesTheApiServersError()
    {
        using var client = CreateClient();
        using var actuator = new KubernetesScaleActuator(client, new KubernetesActuatorOptions { Namespace = "shop", Deployment = "nope" });

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => actuator.GetReplicasAsync());
    }

    private List<(string Method, string Path, string? ContentType, string Body)> Requests()
    {
        lock (_requests)
        {
            return _requests.ToList();
        }
    }

    private KubernetesScaleActuator CreateActuator() =>
        KubernetesScaleActuator.Create(Configuration(), new KubernetesActuatorOptions { Namespace = "shop", Deployment = "greeter" });

    private k8s.Kubernetes CreateClient() => new(Configuration());

    private KubernetesClientConfiguration Configuration()
    {
        var address = _server!.Urls.First();
        return new KubernetesClientConfiguration { Host = address };
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        lock (_requests)
        {
            _requests.Add((context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.ContentType, body));
        }

        if (context.Request.Path != ScalePath)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"deployments.apps \"nope\" not found","reason":"NotFound","code":404}""");
            return;
        }

        if (HttpMethods.IsPatch(context.Request.Method))
        {
            var patch = JsonNode.Parse(body)!;
            _replicas = patch["spec"]!["replicas"]!.GetValue<int>();
        }
        else if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = 405;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            kind = "Scale",
            apiVersion = "autoscaling/v1",
            metadata = new { name = "greeter", @namespace = "shop", resourceVersion = "42" },
            spec = new { replicas = _replicas },
            status = new { replicas = 3, selector = "app=greeter" },
        }));
    }
}
