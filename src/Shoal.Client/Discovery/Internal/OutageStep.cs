namespace Shoal.Client.Discovery.Internal;

/// <summary>What <see cref="OutageLog.Fail"/> says to log for a failure.</summary>
internal enum OutageStep
{
    /// <summary>Nothing: a summary comes later.</summary>
    None,

    /// <summary>The first failure of an outage: log it in full.</summary>
    First,

    /// <summary>A summary interval passed: log how many failed since the last line, without a stack trace.</summary>
    Summary,
}
