using System.Text.Json.Serialization;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// Memory and threads of the bench process (client) and the server around one run: before its
/// connections exist, with every connection open and idle (each made one call, then a second of
/// quiet), and at the end of the measured window. Per-connection figures divide the growth by the
/// connections; they include one-off costs (the first call's code and caches), so the fair figure
/// for many connections is the difference between a run with N and a run with 1.
/// </summary>
internal sealed record BenchFootprint
{
    /// <summary>Connections the run opened.</summary>
    [JsonPropertyName("connections")] public int Connections { get; init; }

    /// <summary>The server processes measured together (summed) as "server": <c>--instances</c> starts several.</summary>
    [JsonPropertyName("servers")] public int Servers { get; init; }

    /// <summary>The client before its connections.</summary>
    [JsonPropertyName("client_before")] public ProcessFootprint? ClientBefore { get; init; }

    /// <summary>The client with every connection open and idle.</summary>
    [JsonPropertyName("client_idle")] public ProcessFootprint? ClientIdle { get; init; }

    /// <summary>The client at the end of the measured window.</summary>
    [JsonPropertyName("client_load")] public ProcessFootprint? ClientLoad { get; init; }

    /// <summary>The server before the run's connections (null when bench did not start it).</summary>
    [JsonPropertyName("server_before")] public ProcessFootprint? ServerBefore { get; init; }

    /// <summary>The server with every connection open and idle.</summary>
    [JsonPropertyName("server_idle")] public ProcessFootprint? ServerIdle { get; init; }

    /// <summary>The server at the end of the measured window.</summary>
    [JsonPropertyName("server_load")] public ProcessFootprint? ServerLoad { get; init; }

    /// <summary>
    /// For <c>shoal-cluster-N</c> (<c>--instances</c>): the client with the one-instance run's
    /// connections open and idle, the baseline of <see cref="ClientKiBPerAddedConnectionIdle"/>.
    /// </summary>
    [JsonPropertyName("client_idle_one_instance")] public ProcessFootprint? OneInstanceClientIdle { get; init; }

    /// <summary>For <c>shoal-cluster-N</c>: the connections of the one-instance run.</summary>
    [JsonPropertyName("connections_one_instance")] public int? OneInstanceConnections { get; init; }

    /// <summary>
    /// For <c>shoal-cluster-N</c>: (client idle RSS with N instances − with one) ÷ the connections
    /// added, KiB: the cost of one more connection, without the one-off costs both runs share.
    /// </summary>
    [JsonPropertyName("client_kib_per_added_connection_idle")]
    public double? ClientKiBPerAddedConnectionIdle =>
        OneInstanceClientIdle is { } one && ClientIdle is { } all && OneInstanceConnections is { } before && Connections > before
            ? Math.Round((all.RssKiB - one.RssKiB) / (double)(Connections - before), 1)
            : null;

    /// <summary>Client RSS growth per connection, idle, KiB.</summary>
    [JsonPropertyName("client_kib_per_connection_idle")] public double? ClientKiBPerConnectionIdle => PerConnection(ClientBefore, ClientIdle);

    /// <summary>Client RSS growth per connection, under load, KiB.</summary>
    [JsonPropertyName("client_kib_per_connection_load")] public double? ClientKiBPerConnectionLoad => PerConnection(ClientBefore, ClientLoad);

    /// <summary>Server RSS growth per connection, idle, KiB.</summary>
    [JsonPropertyName("server_kib_per_connection_idle")] public double? ServerKiBPerConnectionIdle => PerConnection(ServerBefore, ServerIdle);

    /// <summary>Server RSS growth per connection, under load, KiB.</summary>
    [JsonPropertyName("server_kib_per_connection_load")] public double? ServerKiBPerConnectionLoad => PerConnection(ServerBefore, ServerLoad);

    /// <summary>RSS of one server process (the mean of <see cref="Servers"/>) with every connection open and idle, KiB.</summary>
    [JsonPropertyName("server_rss_kib_per_process_idle")] public double? ServerRssKiBPerProcessIdle => PerProcess(ServerIdle?.RssKiB);

    /// <summary>Threads of one server process (the mean of <see cref="Servers"/>) with every connection open and idle.</summary>
    [JsonPropertyName("server_threads_per_process_idle")] public double? ServerThreadsPerProcessIdle => PerProcess(ServerIdle?.Threads);

    private double? PerProcess(long? total) => total is { } t && Servers > 0 ? Math.Round(t / (double)Servers, 1) : null;

    private double? PerConnection(ProcessFootprint? before, ProcessFootprint? after) =>
        before is not null && after is not null && Connections > 0 ? Math.Round((after.RssKiB - before.RssKiB) / (double)Connections, 1) : null;
}
