namespace Shoal.Autoscaling.Containers;

/// <summary>Settings of <see cref="ContainerScaleActuator"/>: which engine, which image, and how each instance runs.</summary>
public sealed record ContainerActuatorOptions
{
    /// <summary>Gets the Docker Engine API endpoint: <c>unix:///run/podman/podman.sock</c> (the default: rootful
    /// <c>podman system service</c>), <c>unix:///var/run/docker.sock</c>, or <c>tcp://host:port</c>.</summary>
    public Uri Endpoint { get; init; } = new("unix:///run/podman/podman.sock");

    /// <summary>Gets the image each instance runs, such as <c>localhost/shoal/greeter:dev</c>; it must already be there (nothing is pulled).</summary>
    public required string Image { get; init; }

    /// <summary>Gets the arguments after the image's entry point; <c>{instance}</c> is replaced by the instance id.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets extra environment variables; values may use <c>{instance}</c> too.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the network the containers join (a user-defined network, a pod's or <c>host</c>), or null for the engine's default bridge.</summary>
    public string? Network { get; init; }

    /// <summary>Gets the volumes each container mounts, as the engine's binds: <c>source:target</c> or <c>source:target:options</c>,
    /// where the source is a host path or a named volume, such as <c>/srv/shop:/data</c>; every instance mounts the same ones.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Gets container ports to publish, each on <see cref="PublishAddress"/> with a free host port (see <see cref="ContainerInstance.Ports"/>).</summary>
    public IReadOnlyList<int> PublishedPorts { get; init; } = [];

    /// <summary>Gets the host address published ports bind to (127.0.0.1: reachable from this machine only).</summary>
    public string PublishAddress { get; init; } = "127.0.0.1";

    /// <summary>Gets extra labels on every container.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the value of the owner label (<see cref="ContainerScaleActuator.OwnerLabel"/>) on every container it starts.</summary>
    public string Owner { get; init; } = "shoal-autoscaler";

    /// <summary>Gets the prefix of instance ids and container names ("greeter" gives greeter-1, greeter-2, …); container names are unique on an engine, so two actuators need two prefixes.</summary>
    public string InstancePrefix { get; init; } = "instance";

    /// <summary>Gets how long a stopping container has between SIGTERM (drain) and SIGKILL (5 s).</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the pause before a crashed container is replaced (1 s), doubled per earlier restart of that instance up to 32x.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the limit on one Engine API request, such as creating a container (30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
