namespace Shoal.Transport.Native.Tests.Hostile;

/// <summary>
/// The hostile-peer tests attack a Greeter.Server process each and measure its memory: they run one
/// at a time, after the rest, so two attacks never share the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "hostile peers";

    public const long MiB = 1024 * 1024;
}
