using System.Globalization;

namespace Shoal.Client.Native.Internal;

/// <summary>Collects one readable failure per invalid option value, each named with the configuration key prefix.</summary>
internal sealed class OptionRules(string keyPrefix)
{
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    public void Between(string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{name} is {value}; use {min} to {max}."));
        }
    }

    public void Between(string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            _failures.Add($"{keyPrefix}{name} is {value}; use {min} to {max}.");
        }
    }

    public void Positive(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            _failures.Add($"{keyPrefix}{name} is {value}; it must be positive.");
        }
    }

    public void PositiveOrInfinite(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            _failures.Add($"{keyPrefix}{name} is {value}; it must be positive (or infinite, -00:00:00.001, to turn it off).");
        }
    }

    /// <summary>A minimum data rate: 0 (off) or positive bytes per second, with a positive period.</summary>
    public void Rate(string name, double bytesPerSecond, string periodName, TimeSpan period)
    {
        if (double.IsNaN(bytesPerSecond) || bytesPerSecond < 0)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{name} is {bytesPerSecond}; use 0 (off) or a positive number of bytes per second."));
        }
        else if (bytesPerSecond > 0 && period <= TimeSpan.Zero)
        {
            _failures.Add($"{keyPrefix}{periodName} is {period}; it must be positive while {name} is on.");
        }
    }
}
