namespace Shoal.Cli.Commands;

/// <summary>Where a command writes and the token that stops it.</summary>
/// <param name="Output">Results (stdout).</param>
/// <param name="Error">Diagnostics and the error line (stderr).</param>
/// <param name="Cancellation">Cancelled by SIGINT/SIGTERM.</param>
internal sealed record CommandIO(TextWriter Output, TextWriter Error, CancellationToken Cancellation);
