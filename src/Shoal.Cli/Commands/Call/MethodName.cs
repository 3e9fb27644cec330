namespace Shoal.Cli.Commands.Call;

/// <summary>A method named on the command line: <c>package.Service/Method</c> (or <c>package.Service.Method</c>).</summary>
/// <param name="Service">The service's full name, e.g. <c>hello.Greeter</c>.</param>
/// <param name="Method">The method's name, e.g. <c>SayHello</c>.</param>
internal sealed record MethodName(string Service, string Method)
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="UsageException"/> when it names no service and method.</summary>
    public static MethodName Parse(string text)
    {
        var trimmed = text.Trim().TrimStart('/');
        var split = trimmed.LastIndexOf('/');
        if (split < 0)
        {
            split = trimmed.LastIndexOf('.');
        }
        if (split <= 0 || split == trimmed.Length - 1)
        {
            throw new UsageException($"'{text}' is not a method; expected <package.Service>/<Method>, for example hello.Greeter/SayHello.");
        }
        return new MethodName(trimmed[..split], trimmed[(split + 1)..]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Service}/{Method}";
}
