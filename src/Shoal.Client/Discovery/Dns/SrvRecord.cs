using System.Collections.Immutable;
using System.Net;

namespace Shoal.Client.Discovery.Dns;

/// <summary>One DNS SRV answer: where an instance of a service runs.</summary>
/// <param name="Priority">Lower is preferred; only the lowest priority present is used.</param>
/// <param name="Weight">Relative share among records of the same priority.</param>
/// <param name="Port">The port the instance listens on.</param>
/// <param name="Target">The host name of the instance.</param>
/// <param name="Addresses">The target's addresses when the answer carried them (additional records); empty otherwise.</param>
public sealed record SrvRecord(int Priority, int Weight, int Port, string Target, ImmutableArray<IPAddress> Addresses);
