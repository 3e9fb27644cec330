namespace Shoal.Tests.Containers;

/// <summary>What a finished command printed and how it exited.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error.</param>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>Gets whether it exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Gets a short description for failure messages.</summary>
    public string Describe() => $"exit {ExitCode}; stderr: {Tail(Error)}; stdout: {Tail(Output)}";

    private static string Tail(string text) => text.Length <= 1500 ? text.Trim() : "..." + text[^1500..].Trim();
}
