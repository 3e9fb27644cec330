using Grpc.Core;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal;

/// <summary>
/// Encodes <see cref="Metadata"/> as: varint count, then per entry a length-prefixed ASCII key and a
/// length-prefixed value (raw bytes for keys ending in <c>-bin</c>, UTF-8 text otherwise).
/// </summary>
internal static class MetadataCodec
{
    public static void Write(OutputBuffer output, Metadata? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            output.WriteByte(0);
            return;
        }
        output.WriteVarint((ulong)metadata.Count);
        for (var i = 0; i < metadata.Count; i++)
        {
            var entry = metadata[i];
            output.WriteString(entry.Key);
            if (entry.IsBinary)
            {
                output.WriteBytes(entry.ValueBytes);
            }
            else
            {
                output.WriteString(entry.Value);
            }
        }
    }

    /// <summary>Reads a block; an empty block gives <see langword="null"/> so no object is allocated.</summary>
    public static Metadata? Read(ref PayloadReader reader)
    {
        var count = reader.ReadVarint();
        if (count == 0)
        {
            return null;
        }
        if (count > (ulong)reader.Remaining / 2)
        {
            throw ProtocolException.Malformed("metadata count exceeds the payload");
        }
        var start = reader.Remaining;
        var metadata = new Metadata();
        for (var i = 0UL; i < count; i++)
        {
            var key = reader.ReadString(ProtocolConstants.MaxMethodLength);
            try
            {
                if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    metadata.Add(key, reader.ReadByteArray(ProtocolConstants.MaxMetadataSize));
                }
                else
                {
                    metadata.Add(key, reader.ReadString(ProtocolConstants.MaxMetadataSize));
                }
            }
            catch (ArgumentException e)
            {
                throw ProtocolException.Malformed("invalid metadata entry: " + e.Message);
            }
            if (start - reader.Remaining > ProtocolConstants.MaxMetadataSize)
            {
                throw ProtocolException.Malformed("metadata block exceeds " + ProtocolConstants.MaxMetadataSize + " bytes");
            }
        }
        return metadata;
    }
}
