namespace Hello;

/// <summary>How a Greeter instance behaves beyond its contract: a fixed delay (a slow instance) and a capacity limit.</summary>
public sealed class GreeterBehavior
{
    /// <summary>Added to every unary call; zero for none.</summary>
    public TimeSpan Delay { get; set; }
}
