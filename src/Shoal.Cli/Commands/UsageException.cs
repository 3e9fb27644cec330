namespace Shoal.Cli.Commands;

/// <summary>A command line that parsed but makes no sense (a malformed target, a method without a service); exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
