using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Kubernetes;

/// <summary>
/// The Kubernetes manifests as podman runs them: deploy/kubernetes/overlays/podman rendered with
/// kubectl kustomize, played with podman kube play, called through the registry, taken down.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed partial class KubePlayTests(DeploymentImages images, ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PodmanOverlay_PlayedByPodman_GreeterAnswersThroughTheRegistryThenAllIsTakenDown()
    {
        await images.RequireAsync();
        Assert.True(CommandLine.IsOnPath("kubectl"), "kubectl is not installed; install kubectl 1.27 or later (kustomize v5) to render deploy/kubernetes.");
        var clock = Stopwatch.StartNew();
        var prefix = Podman.UniqueName("k") + "-";
        var ports = FreePorts.Take(4);
        var work = Directory.CreateTempSubdirectory("shoal-kube-");
        var manifest = Path.Combine(work.FullName, "shoal.yaml");
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
            Assert.Equal(3, pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            var reply = await Eventually.GetAsync("the Greeter answering through the registry", StartLimit,
                () => Greeting.TrySayHelloAsync($"registry://127.0.0.1:{ports[0]}/hello.Greeter", "kube"));
            Assert.Equal("Hello kube", reply);
            Assert.Equal("Hello direct", await Greeting.SayHelloAsync($"shoal://127.0.0.1:{ports[2]}", "direct"));
            output.WriteLine($"answered after {clock.Elapsed.TotalSeconds:F1} s");

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
            var left = await Podman.TryRunAsync("ps", "--all", "--quiet", "--filter", $"name={prefix}");
            var leftPods = await Podman.TryRunAsync("pod", "ps", "--quiet", "--filter", $"name={prefix}");
            work.Delete(recursive: true);
            Assert.True(left.Output.Trim().Length == 0 && leftPods.Output.Trim().Length == 0,
                $"kube down left containers or pods: {left.Output} {leftPods.Output}");
            output.WriteLine($"kube play test: {clock.Elapsed.TotalSeconds:F1} s, cleaned up");
        }
    }

    [GeneratedRegex(@"\b((?:registry|greeter|autoscaler)-tmp)\b")]
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
            patches:
              - target: { kind: Deployment, name: shoal-registry }
                patch: |-
                  - op: replace
                    path: /spec/template/spec/containers/0/args
                    value: ["registry", "--host", "127.0.0.1", "--port", "{{p[0]}}", "--grpc-port", "{{p[1]}}"]
                  - op: replace
                    path: /spec/template/spec/containers/0/readinessProbe/grpc/port
                    value: {{p[1]}}
                  - op: replace
                    path: /spec/template/spec/containers/0/livenessProbe/grpc/port
                    value: {{p[1]}}
              - target: { kind: Deployment, name: greeter }
                patch: |-
                  - op: replace
                    path: /spec/template/spec/containers/0/args
                    value: ["--tcp-port", "{{p[2]}}", "--grpc-port", "{{p[3]}}", "--registry", "registry://127.0.0.1:{{p[0]}}"]
                  - op: replace
                    path: /spec/template/spec/containers/0/readinessProbe/grpc/port
                    value: {{p[3]}}
                  - op: replace
                    path: /spec/template/spec/containers/0/livenessProbe/grpc/port
                    value: {{p[3]}}
            configMapGenerator:
              - name: shoal-autoscaler
                behavior: replace
                files:
                  - autoscaler.json
            """;
    }

    private static string AutoscalerSettings(int registryPort) => $$"""
        { "Shoal": { "Autoscaler": { "Registry": "registry://127.0.0.1:{{registryPort}}", "Service": "hello.Greeter",
          "Actuator": "dry-run", "MinReplicas": 1, "MaxReplicas": 4, "Interval": "00:00:10" } } }
        """;
}
