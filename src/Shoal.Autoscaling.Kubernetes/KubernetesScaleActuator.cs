using System.Globalization;
using k8s;
using k8s.Models;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Kubernetes;

/// <summary>
/// Scales a Kubernetes Deployment through its <c>scale</c> subresource
/// (<c>/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale</c>).
/// </summary>
/// <remarks>
/// Reads <c>spec.replicas</c> with GET and sets it with a JSON merge patch
/// (<c>{"spec":{"replicas":N}}</c>), which touches nothing else in the Deployment. Kubernetes drains
/// the pods it removes: it takes them out of the Service endpoints, sends SIGTERM and waits up to
/// <c>terminationGracePeriodSeconds</c>, during which Shoal's hosting finishes the calls in flight.
/// The service account needs get and patch on <c>deployments/scale</c>
/// (deploy/kubernetes/autoscaler-rbac.yaml).
/// </remarks>
public sealed class KubernetesScaleActuator : IScaleActuator, IDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly KubernetesActuatorOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the actuator over an existing client.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="options">The Deployment to scale.</param>
    /// <param name="time">The clock for event times.</param>
    public KubernetesScaleActuator(IKubernetes client, KubernetesActuatorOptions options, TimeProvider? time = null)
        : this(client, options, time, ownsClient: false)
    {
    }

    private KubernetesScaleActuator(IKubernetes client, KubernetesActuatorOptions options, TimeProvider? time, bool ownsClient)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _ownsClient = ownsClient;
    }

    /// <inheritdoc/>
    public string Name => "kubernetes";

    /// <inheritdoc/>
    public event EventHandler<ScaleEvent>? Changed;

    /// <summary>Creates the actuator from a client configuration (in-cluster or kubeconfig).</summary>
    /// <param name="configuration">The configuration, e.g. <c>KubernetesClientConfiguration.BuildDefaultConfig()</c>.</param>
    /// <param name="options">The Deployment to scale.</param>
    /// <param name="time">The clock for event times.</param>
    /// <returns>The actuator, which owns (and disposes) its client.</returns>
    public static KubernetesScaleActuator Create(KubernetesClientConfiguration configuration, KubernetesActuatorOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KubernetesScaleActuator(new k8s.Kubernetes(configuration), options, time, ownsClient: true);
    }

    /// <inheritdoc/>
    public async Task<int> GetReplicasAsync(CancellationToken cancellationToken = default)
    {
        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync(_options.Deployment, _options.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return scale.Spec?.Replicas ?? 0;
    }

    /// <inheritdoc/>
    public async Task ScaleAsync(int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var from = await GetReplicasAsync(cancellationToken).ConfigureAwait(false);
        if (from == replicas)
        {
            return;
        }

        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"spec\":{{\"replicas\":{replicas}}}}}");
        var patch = new V1Patch(body, V1Patch.PatchType.MergePatch);
        await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, _options.Deployment, _options.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(this, new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.Scaled, from, replicas, $"{_options.Namespace}/{_options.Deployment}"));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
