using System.Runtime.InteropServices;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>The decoded fields of a CallStart frame, apart from its method and message.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct CallStartInfo(uint Id, string Host, DateTime Deadline, Metadata? Headers, bool HasMessage, bool EndStream);
