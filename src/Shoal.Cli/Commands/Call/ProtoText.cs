using System.Text;
using Google.Protobuf.Reflection;

namespace Shoal.Cli.Commands.Call;

/// <summary>Services and messages written back as .proto text for <c>shoal call ... describe</c>.</summary>
internal static class ProtoText
{
    /// <summary>The service and its methods.</summary>
    public static string Describe(ServiceDescriptor service)
    {
        var text = new StringBuilder();
        text.Append("service ").Append(service.FullName).AppendLine(" {");
        foreach (var method in service.Methods)
        {
            text.Append("  ").AppendLine(Signature(method));
        }
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>The method's signature, then its request and reply messages.</summary>
    public static string Describe(MethodDescriptor method)
    {
        var text = new StringBuilder();
        text.Append("// ").Append(method.Service.FullName).AppendLine()
            .AppendLine(Signature(method))
            .AppendLine()
            .Append(Describe(method.InputType));
        if (method.OutputType != method.InputType)
        {
            text.AppendLine().Append(Describe(method.OutputType));
        }
        return text.ToString();
    }

    private static string Signature(MethodDescriptor method) =>
        $"rpc {method.Name} ({(method.IsClientStreaming ? "stream " : "")}{method.InputType.FullName}) returns ({(method.IsServerStreaming ? "stream " : "")}{method.OutputType.FullName});";

    /// <summary>The message and its fields.</summary>
    public static string Describe(MessageDescriptor message)
    {
        var text = new StringBuilder();
        text.Append("message ").Append(message.FullName).AppendLine(" {");
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            text.Append("  ").Append(FieldLabel(field)).Append(TypeName(field)).Append(' ')
                .Append(field.Name).Append(" = ").Append(field.FieldNumber).AppendLine(";");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static string FieldLabel(FieldDescriptor field) => field.IsMap ? "" : field.IsRepeated ? "repeated " : field.HasPresence && field.FieldType != FieldType.Message ? "optional " : "";

    private static string TypeName(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return $"map<{TypeName(field.MessageType.FindFieldByNumber(1))}, {TypeName(field.MessageType.FindFieldByNumber(2))}>";
        }
        return field.FieldType switch
        {
            FieldType.Message => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
    }
}
