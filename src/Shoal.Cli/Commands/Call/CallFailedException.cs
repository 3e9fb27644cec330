namespace Shoal.Cli.Commands.Call;

/// <summary>A call that could not be made as asked (unknown service or method, bad request JSON); exit code 1.</summary>
internal sealed class CallFailedException(string message) : Exception(message);
