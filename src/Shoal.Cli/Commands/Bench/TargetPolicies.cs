using Shoal.Targets;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Carries <c>--lb</c> and <c>--strategy</c> to the channel in the target's query
/// (<c>registry://host:port/hello.Greeter?lb=p2c_ewma&amp;strategy=failover</c>), where
/// <see cref="ShoalTarget.Query"/> holds per-target options for cluster targets.
/// </summary>
internal static class TargetPolicies
{
    /// <summary>Whether <paramref name="target"/> names one instance (<c>shoal://</c>, <c>http://</c>); false for cluster targets and for targets that do not parse.</summary>
    public static bool IsDirect(string target) => ShoalTarget.TryParse(target, out var parsed, out _) && parsed.IsDirect;

    /// <summary>
    /// <paramref name="target"/> with the policies added to its query; unchanged for a direct
    /// (one-instance) target, where there is nothing to balance, or when neither is given.
    /// </summary>
    public static string Apply(string target, string? loadBalancer, string? strategy, out bool ignored)
    {
        ignored = false;
        if (loadBalancer is null && strategy is null)
        {
            return target;
        }
        if (!ShoalTarget.TryParse(target, out var parsed, out var error))
        {
            throw new UsageException(error);
        }
        if (parsed.IsDirect)
        {
            ignored = true;
            return target;
        }
        var result = target.Trim();
        void Add(string key, string? value)
        {
            if (value is not null && !parsed.Query.ContainsKey(key))
            {
                result += (result.Contains('?', StringComparison.Ordinal) ? "&" : "?") + key + "=" + Uri.EscapeDataString(value);
            }
        }
        Add("lb", loadBalancer);
        Add("strategy", strategy);
        return result;
    }
}
