namespace Shoal.Cli.Commands;

/// <summary>A command line that parsed but makes no sense (a malformed target, a method without a service); exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    /// <summary>Whether building a channel or resolver for a target failed because of the target itself (no resolver handles its scheme, or it does not parse): the command line is wrong.</summary>
    public static bool IsBadTarget(Exception exception) => exception is NotSupportedException or ArgumentException or FormatException;
}
