using System.CommandLine;
using System.CommandLine.Parsing;

namespace Shoal.Cli.Commands;

/// <summary>Validators shared by the commands' options; a failing rule is a usage error (exit 2).</summary>
internal static class OptionRules
{
    /// <summary>A TCP port, 0 for a free one, and -1 for off when <paramref name="allowOff"/>.</summary>
    public static void Port(Option<int> option, bool allowOff)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue<int>(result, out var value))
            {
                return;
            }
            if (value > 65535 || value < (allowOff ? -1 : 0))
            {
                result.AddError($"{option.Name} must be a port from 0 to 65535{(allowOff ? " (or -1 for off)" : "")}; got {value}.");
            }
        });
    }

    /// <summary>An integer no lower than <paramref name="minimum"/>.</summary>
    public static void AtLeast(Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue<int>(result, out var value))
            {
                return;
            }
            if (value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}; got {value}.");
            }
        });
    }

    /// <summary>A duration at least <paramref name="minimum"/>.</summary>
    public static void AtLeast(Option<TimeSpan> option, TimeSpan minimum)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue<TimeSpan>(result, out var value))
            {
                return;
            }
            if (value < minimum)
            {
                result.AddError($"{option.Name} must be at least {DurationParser.Format(minimum)}; got {DurationParser.Format(value)}.");
            }
        });
    }

    /// <summary>A duration at most <paramref name="maximum"/>.</summary>
    public static void AtMost(Option<TimeSpan> option, TimeSpan maximum)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue<TimeSpan>(result, out var value) && value > maximum)
            {
                result.AddError($"{option.Name} must be at most {DurationParser.Format(maximum)}; got {DurationParser.Format(value)}.");
            }
        });
    }

    /// <summary>The option's value; false when it did not convert (that error is already reported).</summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        value = default!;
        if (result.Errors.Any())
        {
            return false;
        }
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
