using Microsoft.Extensions.Options;

namespace Shoal.Server.Load.Internal;

/// <summary>Rejects load settings a host cannot measure with, naming the configuration key at fault.</summary>
internal sealed class ServerLoadOptionsValidator : IValidateOptions<ShoalServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ShoalServerOptions options)
    {
        var load = options.Load;
        if (load is null)
        {
            return ValidateOptionsResult.Fail("Shoal:Server:Load is null.");
        }
        var failures = new List<string>();
        if (load.Window < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"Shoal:Server:Load:Window is {load.Window}; use at least 10 ms (default 5 s).");
        }
        if (load.CpuAllotment is { } cores && !(cores > 0 && double.IsFinite(cores)))
        {
            failures.Add($"Shoal:Server:Load:CpuAllotment is {cores}; use a positive number of cores, or leave it unset for all of them.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
