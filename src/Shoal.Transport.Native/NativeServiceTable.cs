using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Transport.Native;

/// <summary>
/// The methods the native server dispatches to, filled by the generated
/// <c>BindService(ServiceBinderBase, impl)</c> methods, with the server interceptors applied.
/// One table serves every connection; it is frozen when the first connection arrives.
/// </summary>
public sealed class NativeServiceTable
{
    /// <summary>Creates a table whose handlers run through <paramref name="interceptors"/> (first is outermost).</summary>
    public NativeServiceTable(IEnumerable<Interceptor>? interceptors = null) => throw new NotImplementedException();

    /// <summary>Binds a generated service: <c>table.Bind(b => Greeter.BindService(b, impl))</c>.</summary>
    public void Bind(Action<ServiceBinderBase> bindService) => throw new NotImplementedException();

    /// <summary>The fully qualified names of the services bound so far.</summary>
    public IReadOnlyCollection<string> ServiceNames => throw new NotImplementedException();
}
