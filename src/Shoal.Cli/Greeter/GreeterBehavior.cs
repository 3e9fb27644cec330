namespace Hello;

/// <summary>How the CLI's Greeter behaves beyond its contract: a fixed delay on every unary call (a slow instance).</summary>
internal sealed class GreeterBehavior
{
    /// <summary>Added to every unary call; zero for none.</summary>
    public TimeSpan Delay { get; set; }
}
