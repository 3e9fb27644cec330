using System.Text;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Shoal.Autoscaling.Hosting;
using Shoal.Autoscaling.Kubernetes;

namespace Shoal.Cli.Tests.Deploy;

/// <summary>
/// deploy/kubernetes rendered the way a user applies it (<c>kubectl kustomize</c> of each overlay):
/// the namespace comes from the overlay, selectors match, images are the build script's, containers
/// are locked down, and the autoscaler's settings and RBAC fit the Deployment they scale.
/// </summary>
[Trait("Category", "Kubernetes")]
public sealed class KubernetesManifestTests
{
    public static TheoryData<string, string> Overlays() => new()
    {
        { "overlays/dev", "shoal-dev" },
        { "overlays/production", "shoal" },
        { "overlays/podman", "shoal-dev" },
    };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_Rendered_EveryObjectIsInTheOverlaysNamespace(string overlay, string expected)
    {
        var rendered = await Kustomize.RenderAsync(overlay);

        Assert.Equal(expected, Assert.Single(rendered.Objects.OfType<V1Namespace>()).Metadata.Name);
        foreach (var item in rendered.Objects.Where(o => o is not V1Namespace))
        {
            Assert.Equal(expected, Kustomize.Metadata(item).NamespaceProperty);
        }
        var binding = Assert.Single(rendered.Objects.OfType<V1RoleBinding>());
        Assert.Equal(expected, Assert.Single(binding.Subjects).NamespaceProperty);
        Assert.DoesNotContain("namespace: default", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base_Rendered_NamesNoNamespaceAtAll()
    {
        var rendered = await Kustomize.RenderAsync("base");

        Assert.Empty(rendered.Objects.OfType<V1Namespace>());
        Assert.All(rendered.Objects, o => Assert.Null(Kustomize.Metadata(o).NamespaceProperty));
        foreach (var file in Directory.EnumerateFiles(Kustomize.PathOf(""), "*.*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.False(text.Contains("namespace: default", StringComparison.Ordinal) || text.Contains(".default.svc", StringComparison.Ordinal),
                $"{file} names the default namespace");
        }
    }

    // podman kube play has no Services; its overlay drops the container ports, so it is not checked here.
    public static TheoryData<string, string> ClusterOverlays() => new()
    {
        { "overlays/dev", "shoal-dev" },
        { "overlays/production", "shoal" },
    };

    [Theory]
    [MemberData(nameof(ClusterOverlays))]
    public async Task Overlay_Rendered_SelectorsMatchTheirPodsAndServicePortsExist(string overlay, string ns)
    {
        var rendered = await Kustomize.RenderAsync(overlay);
        var deployments = rendered.Objects.OfType<V1Deployment>().ToArray();
        Assert.Equal(["greeter", "shoal-autoscaler", "shoal-registry", "shop-inventory", "shop-orders", "shop-payment", "shop-shipping"],
            deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));

        foreach (var deployment in deployments)
        {
            Assert.True(Matches(deployment.Spec.Selector.MatchLabels, deployment.Spec.Template.Metadata.Labels), $"{ns}/{deployment.Metadata.Name}: selector does not match its pods");
        }
        foreach (var service in rendered.Objects.OfType<V1Service>())
        {
            var target = Assert.Single(deployments, d => Matches(service.Spec.Selector, d.Spec.Template.Metadata.Labels));
            var named = target.Spec.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToHashSet();
            Assert.All(service.Spec.Ports, p => Assert.Contains(p.TargetPort.Value, named));
        }
        foreach (var budget in rendered.Objects.OfType<V1PodDisruptionBudget>())
        {
            Assert.Single(deployments, d => Matches(budget.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels));
        }
    }

    public static TheoryData<string, string> ShopOverlays() => new()
    {
        { "overlays/dev", "registry://shoal-registry:7070" },
        { "overlays/production", "registry://shoal-registry:7070" },
        { "overlays/podman", "registry://127.0.0.1:7070" },
    };

    [Theory]
    [MemberData(nameof(ShopOverlays))]
    public async Task ShopServices_Rendered_RunTheirProgramFromTheShopImageOnTheSharedClaimWithABudget(string overlay, string registry)
    {
        var rendered = await Kustomize.RenderAsync(overlay);
        var claims = rendered.Objects.OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToArray();
        var budgets = rendered.Objects.OfType<V1PodDisruptionBudget>().ToArray();

        foreach (var program in new[] { "orders", "inventory", "payment", "shipping" })
        {
            var deployment = Assert.Single(rendered.Objects.OfType<V1Deployment>(), d => d.Metadata.Name == $"shop-{program}");
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.StartsWith("localhost/shoal/shop:", container.Image, StringComparison.Ordinal);
            // The shop image has no entry point: the first argument is the program.
            Assert.Null(container.Command);
            Assert.Equal(program, container.Args[0]);
            Assert.Equal(registry, container.Args[container.Args.IndexOf("--registry") + 1]);
            Assert.Equal($"/data/{program}.db", container.Args[container.Args.IndexOf("--db") + 1]);
            // Every instance of a service shares its SQLite file: one claim, mounted by every shop pod, writable by the app's group.
            var data = Assert.Single(container.VolumeMounts, m => m.MountPath == "/data");
            var volume = Assert.Single(pod.Volumes, v => v.Name == data.Name);
            Assert.Equal(Assert.Single(claims), volume.PersistentVolumeClaim.ClaimName);
            Assert.Equal(1654L, pod.SecurityContext.FsGroup);
            Assert.Single(budgets, b => Matches(b.Spec.Selector.MatchLabels, deployment.Spec.Template.Metadata.Labels));
        }
        if (overlay == "overlays/production")
        {
            // A drain never takes a whole shop service.
            Assert.All(rendered.Objects.OfType<V1Deployment>().Where(d => d.Metadata.Name.StartsWith("shop-", StringComparison.Ordinal)),
                d => Assert.True(d.Spec.Replicas >= 2, $"{d.Metadata.Name}: {d.Spec.Replicas} replica(s)"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_Rendered_ReferencesOnlyImagesTheBuildScriptMakes(string overlay, string ns)
    {
        var rendered = await Kustomize.RenderAsync(overlay);
        var built = await Kustomize.BuiltImagesAsync();
        Assert.Contains("localhost/shoal/greeter", built);
        Assert.Contains("localhost/shoal/shop", built);

        var images = rendered.Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).Select(c => c.Image).ToArray();
        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.True(built.Contains(image[..image.LastIndexOf(':')]), $"{ns}: {image} is not made by deploy/build-images.sh ({string.Join(", ", built)})"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_Rendered_ContainersAreNonRootReadOnlyWithoutCapabilitiesAndBounded(string overlay, string ns)
    {
        var rendered = await Kustomize.RenderAsync(overlay);

        foreach (var deployment in rendered.Objects.OfType<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{ns}/{deployment.Metadata.Name}: runAsNonRoot");
            foreach (var container in pod.Containers)
            {
                var security = container.SecurityContext;
                Assert.True(security.ReadOnlyRootFilesystem == true && security.AllowPrivilegeEscalation == false, $"{container.Name}: writable root or privilege escalation");
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                Assert.True(container.Resources.Requests.ContainsKey("memory") && container.Resources.Limits.ContainsKey("memory"), $"{container.Name}: memory unbounded");
                Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
                if (deployment.Metadata.Name != "shoal-autoscaler")
                {
                    Assert.NotNull(container.ReadinessProbe);
                    Assert.NotNull(container.LivenessProbe);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Autoscaler_Rendered_SettingsAreValidAndNameTheGreeterTheRegistryAndTheAccount(string overlay, string ns)
    {
        var rendered = await Kustomize.RenderAsync(overlay);
        var autoscaler = Assert.Single(rendered.Objects.OfType<V1Deployment>(), d => d.Metadata.Name == "shoal-autoscaler");
        var greeter = Assert.Single(rendered.Objects.OfType<V1Deployment>(), d => d.Metadata.Name == "greeter");
        var registry = Assert.Single(rendered.Objects.OfType<V1Service>(), s => s.Metadata.Name == "shoal-registry");
        var role = Assert.Single(rendered.Objects.OfType<V1Role>());
        var account = Assert.Single(rendered.Objects.OfType<V1ServiceAccount>());

        Assert.Equal(ns, autoscaler.Metadata.NamespaceProperty);
        var container = Assert.Single(autoscaler.Spec.Template.Spec.Containers);
        var parse = ShoalCli.BuildRootCommand().Parse(container.Args.ToArray());
        Assert.Empty(parse.Errors);
        Assert.Equal(["autoscale", "run"], container.Args.Take(2));
        Assert.Equal(account.Metadata.Name, autoscaler.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal(1, autoscaler.Spec.Replicas);

        var volume = Assert.Single(autoscaler.Spec.Template.Spec.Volumes, v => v.ConfigMap is not null);
        var map = Assert.Single(rendered.Objects.OfType<V1ConfigMap>(), m => m.Metadata.Name == volume.ConfigMap.Name);
        var options = new ShoalAutoscalerOptions();
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(map.Data["autoscaler.json"]))).Build();
        configuration.GetSection(ShoalAutoscalerOptions.SectionName).Bind(options);
        var kubernetes = new KubernetesActuatorSettings();
        configuration.GetSection(KubernetesActuatorSettings.SectionName).Bind(kubernetes);
        Assert.Empty(ShoalAutoscalerOptionsValidator.Check(options, [new KubernetesActuatorProvider(kubernetes)]));
        Assert.Equal("hello.Greeter", options.Service);
        if (options.Actuator == AutoscalerActuatorKinds.Kubernetes)
        {
            Assert.Equal(greeter.Metadata.Name, kubernetes.Deployment);
            Assert.Contains(greeter.Metadata.Name, Assert.Single(role.Rules).ResourceNames);
            Assert.Equal(["deployments/scale"], Assert.Single(role.Rules).Resources);
            var port = Assert.Single(registry.Spec.Ports, p => p.Name == "shoal").Port;
            Assert.Equal($"registry://{registry.Metadata.Name}:{port}", options.Registry);
        }
        else
        {
            Assert.Equal("overlays/podman", overlay);
            Assert.Equal(AutoscalerActuatorKinds.DryRun, options.Actuator);
        }
    }

    private static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public static TheoryData<string, string> TokenOverlays() => new()
    {
        { "overlays/dev", "registry.dev.token" },
        { "overlays/production", Kustomize.OperatorToken },
        { "overlays/podman", "registry.dev.token" },
    };

    [Theory]
    [MemberData(nameof(TokenOverlays))]
    public async Task Overlay_Rendered_EveryRegistryPeerReadsTheTokenFromTheGeneratedSecretAsAFile(string overlay, string tokenFile)
    {
        const string mountedToken = "/run/secrets/shoal-registry/token";
        var rendered = await Kustomize.RenderAsync(overlay);

        var secret = Assert.Single(rendered.Objects.OfType<V1Secret>(), s => s.Metadata.Name.StartsWith("shoal-registry-token-", StringComparison.Ordinal));
        Assert.True(secret.Data["token"].Length > 0);
        Assert.Contains(tokenFile, await File.ReadAllTextAsync(Kustomize.PathOf(Path.Combine(overlay, "kustomization.yaml"))), StringComparison.Ordinal);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["shoal-registry"] = "--token-file",
            ["greeter"] = "--registry-token-file",
            ["shoal-autoscaler"] = "--registry-token-file",
            ["shop-orders"] = "--registry-token-file",
            ["shop-inventory"] = "--registry-token-file",
            ["shop-payment"] = "--registry-token-file",
            ["shop-shipping"] = "--registry-token-file",
        };
        var deployments = rendered.Objects.OfType<V1Deployment>().ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        foreach (var deployment in deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            var flag = container.Args.IndexOf(expected[deployment.Metadata.Name]);
            Assert.True(flag >= 0, $"{deployment.Metadata.Name}: no {expected[deployment.Metadata.Name]} in {string.Join(' ', container.Args)}");
            Assert.Equal(mountedToken, container.Args[flag + 1]);
            var mount = Assert.Single(container.VolumeMounts, m => mountedToken.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
            Assert.True(mount.ReadOnlyProperty);
            var volume = Assert.Single(pod.Volumes, v => v.Name == mount.Name);
            Assert.Equal(secret.Metadata.Name, volume.Secret.SecretName);
            Assert.False(volume.Secret.Optional);
        }
    }

    [Fact]
    public async Task Base_Rendered_CommitsNoSecret()
    {
        var rendered = await Kustomize.RenderAsync("base");

        Assert.Empty(rendered.Objects.OfType<V1Secret>());
        // Production's token is made by its operator and kept out of the repository.
        var ignored = await File.ReadAllLinesAsync(Kustomize.PathOf("overlays/production/.gitignore"));
        Assert.Contains(Kustomize.OperatorToken, ignored);
    }
}
