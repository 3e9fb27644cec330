using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Shoal.Internal;

/// <summary>
/// Makes <see cref="ContextPropagationToken"/>s for Shoal's server calls. Grpc.Core.Api gives the
/// class only an internal constructor (its one implementation lived in the retired Grpc.Core), so a
/// subclass cannot be compiled: one empty sealed subclass is defined once at run time, in a dynamic
/// assembly allowed to call that constructor, and each token maps to its parent through a weak table.
/// </summary>
internal static class PropagationTokenFactory
{
    private static readonly ConditionalWeakTable<ContextPropagationToken, Parent> Parents = new();
    private static readonly Lazy<Type> TokenType = new(DefineTokenType);

    public static ContextPropagationToken Create(ServerCallContext context, ContextPropagationOptions options)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new NotSupportedException("Propagation tokens need run-time code generation, which this runtime lacks; Shoal's channels propagate the current call's deadline and cancellation by themselves.");
        }
        var token = (ContextPropagationToken)Activator.CreateInstance(TokenType.Value)!;
        Parents.Add(token, new Parent(context, options));
        return token;
    }

    public static bool TryGet(ContextPropagationToken token, out ServerCallContext? context, out ContextPropagationOptions? options)
    {
        if (Parents.TryGetValue(token, out var parent))
        {
            context = parent.Context;
            options = parent.Options;
            return true;
        }
        context = null;
        options = null;
        return false;
    }

    private static Type DefineTokenType()
    {
        var baseType = typeof(ContextPropagationToken);
        var name = new AssemblyName("Shoal.PropagationTokens");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.Run);
        // The runtime honours this attribute (by name) to let the assembly reach Grpc.Core.Api's internal constructor.
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [baseType.Assembly.GetName().Name!]));
        var type = assembly.DefineDynamicModule(name.Name!).DefineType(
            "Shoal.PropagationTokens.ShoalPropagationToken", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, baseType);
        var baseConstructor = baseType.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)
            ?? throw new NotSupportedException("This Grpc.Core.Api has no parameterless ContextPropagationToken constructor.");
        var il = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes).GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseConstructor);
        il.Emit(OpCodes.Ret);
        return type.CreateType();
    }

    private sealed record Parent(ServerCallContext Context, ContextPropagationOptions Options);
}
