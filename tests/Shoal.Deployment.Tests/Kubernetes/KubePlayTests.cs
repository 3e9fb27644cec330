using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Kubernetes;

/// <summary>
/// The Kubernetes manifests as podman runs them: deploy/kubernetes/overlays/podman rendered with
/// kubectl kustomize, played with podman kube play (the registry members only, its token a Secret
/// mounted as a file in every pod, as the manifests say), the Greeter and the shop called through
/// the registry with the token, a stranger without it refused, taken down.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed partial class KubePlayTests(DeploymentImages images, ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    /// <summary>The shop's Deployments in deploy/kubernetes/base/shop, by their program names.</summary>
    private static readonly string[] ShopServices = ["orders", "inventory", "payment", "shipping"];

    /// <summary>Where the manifests mount the registry token Secret in every pod.</summary>
    private const string MountedToken = "/run/secrets/shoal-registry/token";

    [Fact]
    public async Task PodmanOverlay_PlayedByPodman_GreeterAndShopAnswerThroughTheRegistryThenAllIsTakenDown()
    {
        await images.RequireAsync();
        Assert.True(CommandLine.IsOnPath("kubectl"), "kubectl is not installed; install kubectl 1.27 or later (kustomize v5) to render deploy/kubernetes.");
        var clock = Stopwatch.StartNew();
        var prefix = Podman.UniqueName("k") + "-";
        var ports = FreePorts.Take(6 + (2 * ShopServices.Length));
        var work = Directory.CreateTempSubdirectory("shoal-kube-");
        var manifest = Path.Combine(work.FullName, "shoal.yaml");
        // The podman overlay's Secret holds this file's token. Kubernetes mounts a Secret's data
        // decoded; podman 4.3.1 mounts it still base64-encoded. Every pod reads the same file, so
        // they agree either way; the test calls with whichever of the two forms the pods hold.
        var devToken = Repository.PathOf("deploy", "kubernetes", "overlays", "podman", "registry.dev.token");
        var encodedToken = Path.Combine(work.FullName, "registry.token.base64");
        await File.WriteAllTextAsync(encodedToken, Convert.ToBase64String(await File.ReadAllBytesAsync(devToken)));
        var token = devToken;
        try
        {
            // The overlay as it is, with this run's images, names and free ports (the pods share the host's network).
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "kustomization.yaml"), Kustomization(work.FullName, prefix, ports));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "autoscaler.json"), AutoscalerSettings(ports[0]));
            var rendered = await CommandLine.RunAsync("kubectl", ["kustomize", work.FullName], TimeSpan.FromMinutes(1));
            Assert.True(rendered.Succeeded, $"kubectl kustomize failed: {rendered.Describe()}");
            // podman makes each emptyDir a named volume (named as in the pod spec) that kustomize's prefix does not reach.
            await File.WriteAllTextAsync(manifest, TmpVolume().Replace(rendered.Output, $"{prefix}$1"));

            // --network host: the pods use the host's network, so podman needs no network of its own for them.
            await Podman.RunAsync("kube", "play", "--network", "host", manifest);
            var pods = await Podman.RunAsync("pod", "ps", "--filter", $"name={prefix}", "--format", "{{.Name}}");
            output.WriteLine($"pods: {pods.Replace('\n', ' ')}");
            Assert.Equal(3 + ShopServices.Length, pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            var reply = await Eventually.GetAsync("the Greeter answering through the registry with the token", StartLimit, async () =>
            {
                foreach (var candidate in new[] { devToken, encodedToken })
                {
                    if (await Greeting.TrySayHelloAsync($"registry://127.0.0.1:{ports[0]}/hello.Greeter", "kube", candidate) is { } answer)
                    {
                        token = candidate;
                        return answer;
                    }
                }
                return null;
            });
            Assert.Equal("Hello kube", reply);
            output.WriteLine($"the pods hold the token {(token == devToken ? "decoded" : "base64-encoded")}");
            // The registry really is members only: a stranger without the token gets nothing through it.
            var stranger = await Assert.ThrowsAsync<RpcException>(() => Greeting.SayHelloAsync($"registry://127.0.0.1:{ports[0]}/hello.Greeter", "stranger"));
            output.WriteLine($"stranger: {stranger.StatusCode}: {stranger.Status.Detail}");
            Assert.Contains("requires a token", stranger.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("Hello direct", await Greeting.SayHelloAsync($"shoal://127.0.0.1:{ports[2]}", "direct"));
            output.WriteLine($"answered after {clock.Elapsed.TotalSeconds:F1} s");

            // The shop: a first order once Orders has found the others in the registry, then a few more.
            var registry = $"registry://127.0.0.1:{ports[0]}";
            var first = new ShopLoad { RegistryTokenFile = token };
            await Eventually.UntilAsync("a first order placed through the registry", StartLimit, async () =>
            {
                await first.PlaceAsync($"{registry}/shop.orders.Orders", 1);
                return first.Placed + first.Declined > 0;
            });
            var orders = new ShopLoad { RegistryTokenFile = token };
            await orders.PlaceAsync($"{registry}/shop.orders.Orders", 10);
            output.WriteLine($"shop orders: {orders}");
            Assert.Equal(0, orders.Failed);
            Assert.Equal(10, orders.Placed + orders.Declined);
            var audit = await ShopAudit.ReadAsync($"{registry}/shop.payment.Payment", $"{registry}/shop.inventory.Inventory", ShopInitialStock, first, orders);
            output.WriteLine($"shop audit: {audit}");
            Assert.Equal(0, audit.ChargedTwice);
            Assert.Equal(orders.Placed + first.Placed, audit.Approved);
            Assert.Equal(0, audit.LostUnits);
            Assert.Equal(audit.SoldUnits, audit.ReservedUnits);

            // The manifests' securityContext reached the container.
            var greeter = $"{prefix}greeter-pod-0-greeter";
            Assert.Equal("1654", (await Podman.InspectAsync(greeter, ".Config.User")).GetString()!.Split(':')[0]);
            Assert.True((await Podman.InspectAsync(greeter, ".HostConfig.ReadonlyRootfs")).GetBoolean());
            var dropped = (await Podman.InspectAsync(greeter, ".HostConfig.CapDrop")).EnumerateArray().Select(c => c.GetString()).ToArray();
            Assert.Contains("CAP_NET_RAW", dropped);
            Assert.Contains("CAP_SETUID", dropped);
        }
        finally
        {
            var down = await Podman.TryRunAsync("kube", "down", manifest);
            output.WriteLine($"kube down: exit {down.ExitCode}");
            // podman kube down leaves the volumes it made from ConfigMaps (and may race its own removal of the emptyDirs).
            var volumes = await Podman.TryRunAsync("volume", "ls", "--quiet", "--filter", $"name={prefix}");
            foreach (var volume in volumes.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Podman.TryRunAsync("volume", "rm", "--force", volume);
            }
            // ... and the secrets it made from Secrets (the registry token).
            var secrets = await Podman.TryRunAsync("secret", "ls", "--format", "{{.Name}}");
            foreach (var secret in secrets.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(name => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                await Podman.TryRunAsync("secret", "rm", secret);
            }
            var left = await Podman.TryRunAsync("ps", "--all", "--quiet", "--filter", $"name={prefix}");
            var leftPods = await Podman.TryRunAsync("pod", "ps", "--quiet", "--filter", $"name={prefix}");
            work.Delete(recursive: true);
            Assert.True(left.Output.Trim().Length == 0 && leftPods.Output.Trim().Length == 0,
                $"kube down left containers or pods: {left.Output} {leftPods.Output}");
            output.WriteLine($"kube play test: {clock.Elapsed.TotalSeconds:F1} s, cleaned up");
        }
    }

    /// <summary>Units of each SKU a new shop inventory starts with (Shop.Inventory's default).</summary>
    private const long ShopInitialStock = 100_000;

    [GeneratedRegex(@"\b((?:registry|greeter|autoscaler|orders|inventory|payment|shipping)-tmp)\b")]
    private static partial Regex TmpVolume();

    private string Kustomization(string directory, string prefix, int[] ports)
    {
        // kustomize takes a directory resource by relative path only.
        var overlay = Path.GetRelativePath(directory, Repository.PathOf("deploy", "kubernetes", "overlays", "podman"));
        var p = ports.Select(port => port.ToString(CultureInfo.InvariantCulture)).ToArray();
        return $$"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namePrefix: {{prefix}}
            resources:
              - {{overlay}}
            images:
              - name: localhost/shoal/greeter
                newTag: {{images.Tag}}
              - name: localhost/shoal/shoal
                newTag: {{images.Tag}}
              - name: localhost/shoal/shop
                newTag: {{images.Tag}}
            patches:
              - target: { kind: Deployment, name: shoal-registry }
                patch: |-
                  - op: replace
                    path: /spec/template/spec/containers/0/args
                    value: ["registry", "--host", "127.0.0.1", "--port", "{{p[0]}}", "--grpc-port", "{{p[1]}}", "--metrics-port", "{{p[4]}}", "--token-file", "{{MountedToken}}"]
                  - op: replace
                    path: /spec/template/spec/containers/0/readinessProbe/httpGet/port
                    value: {{p[4]}}
                  - op: replace
                    path: /spec/template/spec/containers/0/livenessProbe/httpGet/port
                    value: {{p[4]}}
              - target: { kind: Deployment, name: greeter }
                patch: |-
                  - op: replace
                    path: /spec/template/spec/containers/0/args
                    value: ["--tcp-port", "{{p[2]}}", "--grpc-port", "{{p[3]}}", "--metrics-port", "{{p[5]}}", "--registry", "registry://127.0.0.1:{{p[0]}}", "--registry-token-file", "{{MountedToken}}"]
                  - op: replace
                    path: /spec/template/spec/containers/0/readinessProbe/httpGet/port
                    value: {{p[5]}}
                  - op: replace
                    path: /spec/template/spec/containers/0/livenessProbe/httpGet/port
                    value: {{p[5]}}
            {{ShopPatches(p)}}
            configMapGenerator:
              - name: shoal-autoscaler
                behavior: replace
                files:
                  - autoscaler.json
            """;
    }

    /// <summary>
    /// kustomize patches that put the shop's Deployments on free ports: service i gets ports[6 + 2i]
    /// (native) and ports[7 + 2i] (gRPC). YAML lines indented for the patches list above.
    /// </summary>
    private static string ShopPatches(string[] p) => string.Join("\n", ShopServices.SelectMany((service, i) =>
    {
        var (native, grpc) = (p[6 + (2 * i)], p[7 + (2 * i)]);
        return new[]
        {
            $"  - target: {{ kind: Deployment, name: shop-{service} }}",
            "    patch: |-",
            "      - op: replace",
            "        path: /spec/template/spec/containers/0/args",
            $"        value: [\"{service}\", \"--tcp-port\", \"{native}\", \"--grpc-port\", \"{grpc}\", \"--registry\", \"registry://127.0.0.1:{p[0]}\", \"--registry-token-file\", \"{MountedToken}\", \"--db\", \"/data/{service}.db\"]",
            "      - op: replace",
            "        path: /spec/template/spec/containers/0/readinessProbe/grpc/port",
            $"        value: {grpc}",
            "      - op: replace",
            "        path: /spec/template/spec/containers/0/livenessProbe/grpc/port",
            $"        value: {grpc}",
        };
    }));

    private static string AutoscalerSettings(int registryPort) => $$"""
        { "Shoal": { "Autoscaler": { "Registry": "registry://127.0.0.1:{{registryPort}}", "Service": "hello.Greeter",
          "Actuator": "dry-run", "MinReplicas": 1, "MaxReplicas": 4, "Interval": "00:00:10" } } }
        """;
}
