using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>What the shop demo did: orders and their outcomes, the reconciliation, latency per service, scaling.</summary>
internal sealed partial record ShopDemoReport
{
    /// <summary>Orders placed by the load (every order offered, whatever its outcome).</summary>
    [JsonPropertyName("orders")] public long Orders { get; init; }

    /// <summary>Orders placed: stock reserved, card charged, shipment created.</summary>
    [JsonPropertyName("placed")] public long Placed { get; init; }

    /// <summary>Orders whose card was declined (their reservation released): a business outcome, not a failure.</summary>
    [JsonPropertyName("declined")] public long Declined { get; init; }

    /// <summary>Orders refused for want of stock.</summary>
    [JsonPropertyName("out_of_stock")] public long OutOfStock { get; init; }

    /// <summary>Orders that ended in an error (must be 0).</summary>
    [JsonPropertyName("failed")] public long Failed { get; init; }

    /// <summary>Orders with more than one approved charge in Payment's ledger (must be 0).</summary>
    [JsonPropertyName("double_charges")] public long DoubleCharges { get; init; }

    /// <summary>Approved charges in Payment's ledger (equal to <see cref="Placed"/> when every charged order was placed).</summary>
    [JsonPropertyName("charges_approved")] public long ChargesApproved { get; init; }

    /// <summary>Units neither sold (in a placed order) nor available: initial - available - sold, over every SKU (must be 0).</summary>
    [JsonPropertyName("lost_stock")] public long LostStock { get; init; }

    /// <summary>Units held by reservations, against the units of placed orders (equal when no reservation leaked).</summary>
    [JsonPropertyName("reserved_units")] public long ReservedUnits { get; init; }

    /// <summary>Units of placed orders.</summary>
    [JsonPropertyName("sold_units")] public long SoldUnits { get; init; }

    /// <summary>p99 per service, milliseconds: <c>client</c> is PlaceOrder as the load saw it (from when each order was due), the others as each service's instances measured their calls.</summary>
    [JsonPropertyName("p99_ms")] public required IReadOnlyDictionary<string, double> P99Ms { get; init; }

    /// <summary>Inventory scale decisions that added instances.</summary>
    [JsonPropertyName("scale_outs")] public int ScaleOuts { get; init; }

    /// <summary>Inventory scale decisions that removed instances (each by drain).</summary>
    [JsonPropertyName("scale_ins")] public int ScaleIns { get; init; }

    /// <summary>Instances the actuators started again after they exited unasked.</summary>
    [JsonPropertyName("restarts")] public int Restarts { get; init; }

    /// <summary>The process id of the Inventory instance SIGKILLed midway (0: none, or it ran in a container).</summary>
    [JsonPropertyName("killed_pid")] public int KilledPid { get; init; }

    /// <summary>The process id of the Payment instance SIGTERMed midway (0: none, or it ran in a container).</summary>
    [JsonPropertyName("terminated_pid")] public int TerminatedPid { get; init; }

    /// <summary>The instance id of the Inventory instance SIGKILLed midway ("": none); the actuator restarts it under the same id.</summary>
    [JsonPropertyName("killed")] public string Killed { get; init; } = "";

    /// <summary>The instance id of the Payment instance stopped gracefully (SIGTERM) midway ("": none).</summary>
    [JsonPropertyName("terminated")] public string Terminated { get; init; } = "";

    /// <summary>How the instances ran: <c>processes</c> (the local actuator) or <c>containers</c> (the container actuator, podman).</summary>
    [JsonPropertyName("runtime")] public string Runtime { get; init; } = "processes";

    /// <summary>The image the containers ran (null for processes).</summary>
    [JsonPropertyName("image")] public string? Image { get; init; }

    /// <summary>The label selecting this run's containers, <c>io.shoal.demo.run=...</c> (null for processes).</summary>
    [JsonPropertyName("container_label")] public string? ContainerLabel { get; init; }

    /// <summary>Every instance that ran and where: a process id, or a container id (a restarted instance once per place).</summary>
    [JsonPropertyName("instances")] public IReadOnlyList<ShopInstance> Instances { get; init; } = [];

    /// <summary>One point per control interval (load in orders per second).</summary>
    [JsonPropertyName("timeline")] public required IReadOnlyList<ShopTimelinePoint> Timeline { get; init; }

    /// <summary>Scale decisions, the SIGKILL and SIGTERM, exits and restarts.</summary>
    [JsonPropertyName("events")] public required IReadOnlyList<ShopDemoEvent> Events { get; init; }

    /// <summary>Calls per second one Inventory instance serves.</summary>
    [JsonPropertyName("inventory_capacity")] public double InventoryCapacity { get; init; }

    /// <summary>The order load's peak, orders per second.</summary>
    [JsonPropertyName("peak_orders_per_s")] public double PeakOrdersPerSecond { get; init; }

    /// <summary>Where the load's shape came from.</summary>
    [JsonPropertyName("trace")] public string Trace { get; init; } = "";

    /// <summary>Seconds the load ran.</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }

    /// <summary>Every instance process started (pids).</summary>
    [JsonPropertyName("processes")] public required IReadOnlyList<int> Processes { get; init; }

    /// <summary>Instance processes still running after the demo (must be empty).</summary>
    [JsonPropertyName("processes_left")] public IReadOnlyList<int> ProcessesLeft { get; init; } = [];

    /// <summary>Containers of this run still there after the demo (must be empty).</summary>
    [JsonPropertyName("containers_left")] public IReadOnlyList<string> ContainersLeft { get; init; } = [];

    /// <summary>The first few failures.</summary>
    [JsonPropertyName("failures")] public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>Whether the run kept every promise: no failed order, no double charge, no lost stock, no process or container left.</summary>
    [JsonIgnore]
    public bool Ok => Failed == 0 && DoubleCharges == 0 && LostStock == 0 && ChargesApproved == Placed && ReservedUnits == SoldUnits && ProcessesLeft.Count == 0 && ContainersLeft.Count == 0;
}
