namespace Shoal.FunctionalTests.TraceHost;

/// <summary>The <c>--name value</c> pairs a role takes.</summary>
internal sealed class HostArgs
{
    private readonly Dictionary<string, string> _values;

    private HostArgs(Dictionary<string, string> values) => _values = values;

    /// <summary>Reads <paramref name="args"/>; any name other than <paramref name="allowed"/>, or a name without a value, is a <see cref="FormatException"/>.</summary>
    public static HostArgs Parse(string[] args, params string[] allowed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!allowed.Contains(args[i]) || i + 1 >= args.Length)
            {
                throw new FormatException($"unexpected argument '{args[i]}' (takes {string.Join(", ", allowed.Select(a => a + " VALUE"))}).");
            }
            values[args[i]] = args[i + 1];
        }
        return new HostArgs(values);
    }

    /// <summary>The value of <paramref name="name"/>; a <see cref="FormatException"/> when it is missing.</summary>
    public string Required(string name) => _values.TryGetValue(name, out var value) ? value : throw new FormatException($"{name} is required.");

    /// <summary>The value of <paramref name="name"/> as a non-negative number, or <paramref name="fallback"/>.</summary>
    public int Number(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{name} takes a non-negative number, got '{text}'.");
    }
}
