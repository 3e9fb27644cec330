using System.Globalization;
using System.Text;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>The shop demo's report as text.</summary>
internal sealed partial record ShopDemoReport
{
    /// <summary>The final summary, one fact a line.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(c, $"Orders:          {Orders} ({Placed} placed, {Declined} declined and released, {OutOfStock} out of stock)");
        text.AppendLine(c, $"FAILED ORDERS:   {Failed}");
        text.AppendLine(c, $"DOUBLE CHARGES:  {DoubleCharges} (approved charges {ChargesApproved} for {Placed} placed orders)");
        text.AppendLine(c, $"LOST STOCK:      {LostStock} units (reserved {ReservedUnits} = sold {SoldUnits})");
        text.AppendLine(c, $"p99 ms:          {string.Join(", ", P99Ms.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value:0.0}")))}");
        text.AppendLine(c, $"Inventory:       {ScaleOuts} scale-outs, {ScaleIns} scale-ins (each by drain); restarts: {Restarts}");
        text.AppendLine(c, $"Signals:         SIGKILL {Where(Killed)}, SIGTERM {Where(Terminated)}");
        text.AppendLine(Runtime == "containers"
            ? string.Create(c, $"Ran as:          {Instances.Count} containers of {Image} ({ContainerLabel}), still there: {ContainersLeft.Count}")
            : string.Create(c, $"Ran as:          {Processes.Count} instance processes, still running: {ProcessesLeft.Count}"));
        foreach (var failure in Failures)
        {
            text.AppendLine(c, $"  failure: {failure}");
        }
        text.AppendLine();
        text.AppendLine(Ok
            ? $"All {Orders} orders had an outcome: no order failed, no card was charged twice, no unit of stock was lost."
            : "NOT OK: see the lines in capitals above.");
        return text.ToString();
    }

    private string Where(string id) =>
        Instances.FirstOrDefault(i => i.Id == id) is { } instance ? $"{id} ({instance.Where})" : id.Length > 0 ? id : "none";
}
