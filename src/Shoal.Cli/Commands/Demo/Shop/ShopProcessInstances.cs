using System.Diagnostics;
using System.Globalization;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>A shop service's instances as processes of this machine, started by the local actuator.</summary>
internal sealed class ShopProcessInstances(string service, LocalProcessOptions options) : IShopInstances
{
    private readonly LocalProcessActuator _actuator = new(options);

    /// <inheritdoc/>
    public IScaleActuator Actuator => _actuator;

    /// <inheritdoc/>
    public IReadOnlyList<ShopInstance> Running =>
        [.. _actuator.Instances.Where(i => i.ProcessId > 0).Select(i => new ShopInstance
        {
            Service = service.ToLowerInvariant(),
            Id = i.Id,
            Where = string.Create(CultureInfo.InvariantCulture, $"pid {i.ProcessId}"),
            ProcessId = i.ProcessId,
        })];

    /// <inheritdoc/>
    public Task<ShopInstance?> KillOldestAsync(CancellationToken cancellationToken)
    {
        if (Running.FirstOrDefault() is not { } victim)
        {
            return Task.FromResult<ShopInstance?>(null);
        }
        try
        {
            using var process = Process.GetProcessById(victim.ProcessId);
            process.Kill();
            return Task.FromResult<ShopInstance?>(victim);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return Task.FromResult<ShopInstance?>(null);
        }
    }

    /// <inheritdoc/>
    public async Task<ShopInstance?> StopOldestAsync(CancellationToken cancellationToken)
    {
        if (Running.FirstOrDefault() is not { } victim)
        {
            return null;
        }
        try
        {
            using var term = Process.Start("kill", ["-TERM", victim.ProcessId.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            return term.ExitCode == 0 ? victim : null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public Task WhenIdleAsync() => _actuator.WhenIdleAsync();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _actuator.DisposeAsync();
}
