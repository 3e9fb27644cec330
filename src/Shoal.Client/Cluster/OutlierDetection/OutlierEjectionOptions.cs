using Grpc.Core;

namespace Shoal.Client.Cluster.OutlierDetection;

/// <summary>
/// Envoy-like outlier ejection (the <c>OutlierEjection</c> section of <see cref="ClusterOptions"/>):
/// an endpoint with too many consecutive failures, or a success rate far below its peers', leaves
/// rotation for a growing time, then comes back and is judged again.
/// </summary>
public sealed class OutlierEjectionOptions
{
    /// <summary>Whether ejection runs at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Failures in a row that eject an endpoint at once; 0 turns this check off. Default 5.</summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>How often ejections end and success rates are compared. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first ejection lasts this long; the n-th lasts n times as long. Default 30 s.</summary>
    public TimeSpan BaseEjectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an ejection lasts. Default 300 s.</summary>
    public TimeSpan MaxEjectionTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Never more than this share (percent) of the known endpoints is ejected at once. Default 50.</summary>
    public int MaxEjectionPercent { get; set; } = 50;

    /// <summary>Success-rate ejection only runs when at least this many endpoints had enough calls in the interval; 0 turns it off. Default 5.</summary>
    public int SuccessRateMinimumHosts { get; set; } = 5;

    /// <summary>An endpoint needs this many calls in the interval to be judged by its success rate. Default 100.</summary>
    public int SuccessRateRequestVolume { get; set; } = 100;

    /// <summary>An endpoint whose success rate is below mean − factor × standard deviation is ejected. Default 1.9.</summary>
    public double SuccessRateStdevFactor { get; set; } = 1.9;

    /// <summary>
    /// The status codes that count against an endpoint (everything else, such as
    /// <see cref="StatusCode.NotFound"/> or <see cref="StatusCode.InvalidArgument"/>, is the
    /// application speaking and counts as a success). Empty (the default) means Unavailable,
    /// Unknown, Internal, DataLoss and DeadlineExceeded.
    /// </summary>
    /// <remarks>Empty by default so that a list bound from configuration replaces the default instead of adding to it.</remarks>
    public IList<StatusCode> FailureStatusCodes { get; set; } = [];

    /// <summary>The failure codes in effect: <see cref="FailureStatusCodes"/>, or the default list when it is empty.</summary>
    public IReadOnlyList<StatusCode> EffectiveFailureStatusCodes => FailureStatusCodes is { Count: > 0 }
        ? [.. FailureStatusCodes]
        : [StatusCode.Unavailable, StatusCode.Unknown, StatusCode.Internal, StatusCode.DataLoss, StatusCode.DeadlineExceeded];
}
