using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Server.Native.Internal;

namespace Shoal.Server.Native;

/// <summary>
/// The methods the native server dispatches to, filled by the generated
/// <c>BindService(ServiceBinderBase, impl)</c> methods, with the server interceptors applied.
/// One table serves every connection; it is frozen when the first connection arrives.
/// </summary>
public sealed class NativeServiceTable
{
    private readonly Interceptor[] _interceptors;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServerMethod> _methods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);
    private MethodLookup? _lookup;

    /// <summary>Creates a table whose handlers run through <paramref name="interceptors"/> (first is outermost).</summary>
    public NativeServiceTable(IEnumerable<Interceptor>? interceptors = null)
        => _interceptors = interceptors?.ToArray() ?? [];

    /// <summary>
    /// Creates a table whose calls are authorized by <paramref name="authorization"/> (before any
    /// interceptor runs, as ASP.NET Core's middleware runs before grpc-dotnet's) and whose handlers
    /// run through <paramref name="interceptors"/> (first is outermost).
    /// </summary>
    public NativeServiceTable(IEnumerable<Interceptor>? interceptors, NativeCallAuthorization? authorization)
        : this(interceptors)
        => Authorization = authorization;

    /// <summary>Binds a generated service: <c>table.Bind(b => Greeter.BindService(b, impl))</c>.</summary>
    public void Bind(Action<ServiceBinderBase> bindService)
    {
        ArgumentNullException.ThrowIfNull(bindService);
        bindService(new ServiceTableBinder(this));
    }

    /// <summary>The fully qualified names of the services bound so far.</summary>
    public IReadOnlyCollection<string> ServiceNames
    {
        get
        {
            lock (_lock)
            {
                return _services.ToArray();
            }
        }
    }

    internal IReadOnlyList<Interceptor> Interceptors => _interceptors;

    internal NativeCallAuthorization? Authorization { get; }

    internal void Add(ServerMethod method)
    {
        lock (_lock)
        {
            if (_lookup is not null)
            {
                throw new InvalidOperationException("The service table is frozen: bind every service before the server accepts connections.");
            }
            if (!_methods.TryAdd(method.FullName, method))
            {
                throw new InvalidOperationException($"The method {method.FullName} is bound twice.");
            }
            _services.Add(method.ServiceName);
        }
    }

    /// <summary>The frozen lookup used by connections.</summary>
    internal MethodLookup Freeze()
    {
        lock (_lock)
        {
            return _lookup ??= new MethodLookup(_methods.Values, _services);
        }
    }
}
