namespace System.Runtime.CompilerServices;

/// <summary>
/// Recognised by the runtime by name: an assembly carrying it may use the named assembly's
/// non-public members. Only <see cref="Shoal.Internal.PropagationTokenFactory"/>'s dynamic assembly carries it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
