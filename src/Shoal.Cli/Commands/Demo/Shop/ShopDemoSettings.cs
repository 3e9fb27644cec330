namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>How the shop demo (<c>shoal demo --app shop</c>) runs.</summary>
internal sealed record ShopDemoSettings
{
    /// <summary>The default length: a compressed day in two minutes.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(120);

    /// <summary>The default calls per second one Inventory instance serves.</summary>
    public const double DefaultCapacity = 30;

    /// <summary>How long the load runs.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>The control interval (one decision, one progress line).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls per second one Inventory instance serves.</summary>
    public double Capacity { get; init; } = DefaultCapacity;

    /// <summary>The order load's peak, in Inventory instances' worth of capacity.</summary>
    public double PeakInstances { get; init; } = 4;

    /// <summary>The fewest Inventory instances (2: a SIGKILL never leaves it without one).</summary>
    public int MinReplicas { get; init; } = 2;

    /// <summary>The most Inventory instances.</summary>
    public int MaxReplicas { get; init; } = 6;

    /// <summary>Instances of each service that is not autoscaled (Orders, Payment); Shipping runs one.</summary>
    public int FixedReplicas { get; init; } = 2;

    /// <summary>Share of orders paid with a card that is declined (their stock must come back).</summary>
    public double DeclinedShare { get; init; } = 0.05;

    /// <summary>A trace CSV, or null for the shipped WorldCup excerpt.</summary>
    public string? TracePath { get; init; }

    /// <summary>Whether one Inventory instance is SIGKILLed and one Payment instance SIGTERMed midway.</summary>
    public bool Kill { get; init; } = true;

    /// <summary>Whether the instances run as containers of <see cref="Image"/> (the container actuator) instead of processes.</summary>
    public bool Containers { get; init; }

    /// <summary>The shop image the containers run.</summary>
    public string Image { get; init; } = ShopContainerEngine.DefaultImage;

    /// <summary>
    /// The members' token file (<c>--registry-token-file</c>): the embedded registry requires it, and
    /// every shop program and the demo's own clients send it. Null: the registry is open (loopback only).
    /// </summary>
    public string? RegistryTokenFile { get; init; }

    /// <summary>The directory holding the shop's programs (<c>Shop.*/Shop.*.dll</c>), or null for <see cref="ShopPrograms.Locate"/>'s default.</summary>
    public string? ProgramsDirectory { get; init; }
}
