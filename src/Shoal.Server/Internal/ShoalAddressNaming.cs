using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Shoal.Server.Internal;

/// <summary>
/// Kestrel names every endpoint it binds <c>http://</c> (or <c>https://</c>), the native one too, and
/// the host logs those names ("Now listening on: ..."). This wraps Kestrel so that, once it has
/// bound, the native endpoint is listed as <c>shoal://host:port</c>: the log, <c>app.Urls</c> and the
/// server-addresses feature then say what a client must dial. Kestrel's own collection cannot change
/// once it has started, so the wrapper's features answer with a renamed copy from then on (before,
/// with Kestrel's, so configured URLs still reach it).
/// </summary>
internal sealed class ShoalAddressNaming : IServer
{
    private readonly IServer _kestrel;
    private readonly ShoalEndpoints _endpoints;
    private readonly AddressesFeature _addresses;

    public ShoalAddressNaming(IServer kestrel, ShoalEndpoints endpoints)
    {
        _kestrel = kestrel;
        _endpoints = endpoints;
        Features = new FeatureCollection(kestrel.Features);
        if (kestrel.Features.Get<IServerAddressesFeature>() is { } inner)
        {
            _addresses = new AddressesFeature(inner);
            Features.Set<IServerAddressesFeature>(_addresses);
        }
        else
        {
            _addresses = new AddressesFeature(null);
        }
    }

    public IFeatureCollection Features { get; }

    /// <summary>Wraps the server registered so far (Kestrel); a host without one is left as it is.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IServer) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }
        if (index < 0 || services[index].ImplementationType is not { } kestrelType)
        {
            return;
        }
        services[index] = ServiceDescriptor.Singleton<IServer>(sp =>
            new ShoalAddressNaming((IServer)ActivatorUtilities.CreateInstance(sp, kestrelType), sp.GetRequiredService<ShoalEndpoints>()));
    }

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        await _kestrel.StartAsync(application, cancellationToken).ConfigureAwait(false);
        if (_endpoints.Native?.EndPoint is IPEndPoint native)
        {
            _addresses.RenameNative(native.Port);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _kestrel.StopAsync(cancellationToken);

    public void Dispose() => _kestrel.Dispose();

    /// <summary>Kestrel's feature, whose collection lists the native endpoint as <c>shoal://</c> once its port is known.</summary>
    private sealed class AddressesFeature(IServerAddressesFeature? kestrel) : IServerAddressesFeature
    {
        private readonly NamedAddresses _addresses = new(kestrel?.Addresses ?? []);

        public ICollection<string> Addresses => _addresses;

        public bool PreferHostingUrls
        {
            get => kestrel?.PreferHostingUrls ?? false;
            set
            {
                if (kestrel is not null)
                {
                    kestrel.PreferHostingUrls = value;
                }
            }
        }

        public void RenameNative(int port) => _addresses.NativePort = port;
    }

    /// <summary>
    /// Kestrel's collection, read through a renaming view: the host keeps a reference to the collection
    /// from before start-up and lists it after, so the names must change in place.
    /// </summary>
    private sealed class NamedAddresses(ICollection<string> kestrel) : ICollection<string>
    {
        public int NativePort { get; set; }

        public int Count => kestrel.Count;

        public bool IsReadOnly => kestrel.IsReadOnly;

        public void Add(string item) => kestrel.Add(item);

        public void Clear() => kestrel.Clear();

        public bool Contains(string item) => this.Any(a => a == item);

        public void CopyTo(string[] array, int arrayIndex) => this.ToList().CopyTo(array, arrayIndex);

        public bool Remove(string item) => kestrel.Remove(item);

        public IEnumerator<string> GetEnumerator() => kestrel.Select(Name).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private string Name(string address)
            => NativePort != 0 && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port == NativePort ? "shoal://" + uri.Authority : address;
    }
}
