using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.FaultTolerance;

namespace Shoal.Cluster.Tests.FaultTolerance;

public sealed class RetryBudgetTests
{
    [Fact]
    public void Withdraw_HundredCallsAtTwentyPercent_AllowsTwentyRetries()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { Ratio = 0.2, MinRetriesPerSecond = 0 }, new FakeTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            budget.Deposit();
        }

        var allowed = Enumerable.Range(0, 50).Count(_ => budget.TryWithdraw());

        Assert.Equal(20, allowed);
    }

    [Fact]
    public void Withdraw_NoTraffic_MinimumPerSecondOverTheWindowStillAllowed()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { MinRetriesPerSecond = 2, Window = TimeSpan.FromSeconds(5) }, new FakeTimeProvider());

        var allowed = Enumerable.Range(0, 50).Count(_ => budget.TryWithdraw());

        Assert.Equal(10, allowed);
    }

    [Fact]
    public void Deposits_OlderThanTheWindow_Expire()
    {
        var time = new FakeTimeProvider();
        var budget = new RetryBudget(new RetryBudgetOptions { Ratio = 0.5, MinRetriesPerSecond = 0, Window = TimeSpan.FromSeconds(10) }, time);
        for (var i = 0; i < 100; i++)
        {
            budget.Deposit();
        }
        Assert.Equal(50, budget.Balance(), 3);

        time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(0, budget.Balance(), 3);
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void Disabled_AlwaysAllows()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { Enabled = false, MinRetriesPerSecond = 0 }, new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(budget.TryWithdraw()));
    }
}
