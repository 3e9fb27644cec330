namespace Shoal.Cli.Commands;

/// <summary>The exit codes every <c>shoal</c> command uses.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: a call returned an error status, a server did not start, bad request JSON.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong: unknown flag, bad value, malformed target. Nothing ran.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by SIGINT or SIGTERM before finishing (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
