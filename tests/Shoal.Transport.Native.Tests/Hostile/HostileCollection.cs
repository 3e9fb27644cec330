namespace Shoal.Transport.Native.Tests.Hostile;

/// <summary>
/// The hostile-peer tests attack a Greeter.Server process each and measure its memory (or, for a peer that drops a
/// client's connection attempts, count the client process's threads): they run one at a time, after the rest, so
/// two attacks never share the machine's two cores and no other test moves what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "hostile peers";

    public const long MiB = 1024 * 1024;
}
