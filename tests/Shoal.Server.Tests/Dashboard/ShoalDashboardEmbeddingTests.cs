using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Server.Dashboard;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Dashboard;

/// <summary><c>MapShoalDashboard</c> in a host of one's own: the page and its events under a prefix, over a real registry and Greeter.</summary>
public sealed class ShoalDashboardEmbeddingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MapShoalDashboard_UnderAPrefix_ServesThePageAndEventsListingARegisteredGreeter()
    {
        await using var registry = await TestHost.StartAsync(only: TestTransport.Native, services: s => s.AddEmbeddedRegistry());
        var registryAddress = $"registry://127.0.0.1:{registry.Addresses.Native!.Port}";
        await using var greeter = await TestHost.StartAsync(only: TestTransport.Native, configure: o =>
        {
            o.Registry = registryAddress;
            o.InstanceId = "greeter-embedded-1";
        });
        var app = await StartDashboardHostAsync(app => app.MapShoalDashboard("/ops/dashboard", o => o.Registry = registryAddress));
        await using (app.App)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address, Timeout = Wait };

            using var redirect = await http.GetAsync(new Uri("/ops/dashboard", UriKind.Relative));
            using var page = await http.GetAsync(new Uri("/ops/dashboard/", UriKind.Relative));
            var snapshot = await ReadEventAsync(http, "/ops/dashboard/events", json => json.Contains("greeter-embedded-1", StringComparison.Ordinal) && json.Contains("\"load\"", StringComparison.Ordinal));
            using var drain = new HttpRequestMessage(HttpMethod.Post, new Uri("/ops/dashboard/instances/greeter-embedded-1/drain", UriKind.Relative)) { Headers = { { "X-Shoal-Dashboard", "drain" } } };
            using var refused = await http.SendAsync(drain);

            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("/ops/dashboard/", redirect.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<svg id=\"chart\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var document = JsonDocument.Parse(snapshot);
            Assert.Equal(registryAddress, document.RootElement.GetProperty("registry").GetString());
            // Without the registry's token the dashboard offers no drain and refuses one.
            Assert.False(document.RootElement.GetProperty("can_drain").GetBoolean());
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.False(greeter.App.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
            var instance = document.RootElement.GetProperty("services").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "hello.Greeter")
                .GetProperty("instances").EnumerateArray().Single();
            Assert.Equal(greeter.Addresses.Native!.Authority, new Uri(instance.GetProperty("address").GetString()!).Authority);
        }
    }

    [Fact]
    public async Task MapShoalDashboard_NotAnEmbeddedRegistry_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartDashboardHostAsync(app => app.MapShoalDashboard("/dashboard", o => o.Registry = "etcd://127.0.0.1:2379")));

        Assert.Contains("'etcd://127.0.0.1:2379' is not an embedded registry address", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(WebApplication App, Uri Address)> StartDashboardHostAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return (app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads <c>data:</c> lines of the event stream until one satisfies <paramref name="done"/>, bounded by <see cref="Wait"/>.</summary>
    private static async Task<string> ReadEventAsync(HttpClient http, string path, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(Wait);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var last = "";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Wait && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                last = line["data: ".Length..];
                if (done(last))
                {
                    return last;
                }
            }
        }
        throw new TimeoutException($"No event matched within {Wait.TotalSeconds:0} s; the last was: {last}");
    }
}
