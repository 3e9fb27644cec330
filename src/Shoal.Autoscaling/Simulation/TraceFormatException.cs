namespace Shoal.Autoscaling.Simulation;

/// <summary>A trace file that cannot be read, with the line at fault.</summary>
public sealed class TraceFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">The 1-based line number at fault (0 for the file as a whole).</param>
    /// <param name="message">What is wrong.</param>
    public TraceFormatException(int line, string message)
        : base(line > 0 ? $"line {line}: {message}" : message)
    {
        Line = line;
    }

    /// <summary>Gets the 1-based line number at fault (0 for the file as a whole).</summary>
    public int Line { get; }
}
