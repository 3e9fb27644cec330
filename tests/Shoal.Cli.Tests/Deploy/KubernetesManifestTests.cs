using k8s;
using k8s.Models;

namespace Shoal.Cli.Tests.Deploy;

/// <summary>The manifests in deploy/kubernetes read as Kubernetes objects and fit together.</summary>
public sealed class KubernetesManifestTests
{
    private static string ManifestDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 10 && directory is not null; i++, directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy", "kubernetes");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("deploy/kubernetes was not found above the test's directory.");
    }

    private static List<object> Load(string file) => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(ManifestDirectory(), file)));

    [Fact]
    public void AutoscalerDeployment_ArgumentsParse_AndNameTheGreeterDeploymentServiceAndAccount()
    {
        var autoscaler = Assert.IsType<V1Deployment>(Assert.Single(Load("autoscaler-deployment.yaml")));
        var greeter = Assert.IsType<V1Deployment>(Assert.Single(Load("greeter-deployment.yaml")));
        var service = Assert.IsType<V1Service>(Assert.Single(Load("greeter-service.yaml")));
        var rbac = Load("autoscaler-rbac.yaml");
        var account = Assert.Single(rbac.OfType<V1ServiceAccount>());

        var container = Assert.Single(autoscaler.Spec.Template.Spec.Containers);
        var args = container.Args.ToArray();
        var parse = ShoalCli.BuildRootCommand().Parse(args);

        Assert.Empty(parse.Errors);
        Assert.Empty(parse.UnmatchedTokens);
        Assert.Equal(["autoscale", "run"], args[..2]);
        Assert.Equal(greeter.Metadata.Name, args[Array.IndexOf(args, "--deployment") + 1]);
        Assert.StartsWith($"dns:///{service.Metadata.Name}.", args[Array.IndexOf(args, "--registry") + 1], StringComparison.Ordinal);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal(account.Metadata.Name, autoscaler.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal(1, autoscaler.Spec.Replicas);
    }

    [Fact]
    public void AutoscalerRole_MayOnlyReadAndPatchTheScaleSubresource()
    {
        var role = Assert.Single(Load("autoscaler-rbac.yaml").OfType<V1Role>());

        var rule = Assert.Single(role.Rules);
        Assert.Equal(["apps"], rule.ApiGroups);
        Assert.Equal(["deployments/scale"], rule.Resources);
        Assert.DoesNotContain("delete", rule.Verbs);
    }
}
