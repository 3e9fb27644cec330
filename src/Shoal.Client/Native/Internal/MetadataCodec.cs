using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Encodes <see cref="Metadata"/> as: varint count, then per entry a length-prefixed ASCII key and a
/// length-prefixed value (raw bytes for keys ending in <c>-bin</c>, UTF-8 text otherwise). A block
/// over <see cref="ProtocolConstants.MaxMetadataSize"/>, or a key over
/// <see cref="ProtocolConstants.MaxMethodLength"/>, is too large: the writer reports it so the caller
/// can fail the call instead of sending it, and the reader throws <see cref="MetadataTooLargeException"/>
/// so the caller can fail that call instead of the connection.
/// </summary>
internal static class MetadataCodec
{
    /// <summary>Writes a block; returns false when it is too large to be read back (the caller rolls it back).</summary>
    public static bool Write(OutputBuffer output, Metadata? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            output.WriteByte(0);
            return true;
        }
        var start = output.Length;
        var fits = true;
        output.WriteVarint((ulong)metadata.Count);
        for (var i = 0; i < metadata.Count; i++)
        {
            var entry = metadata[i];
            var keyStart = output.Length;
            output.WriteString(entry.Key);
            fits &= output.Length - keyStart <= ProtocolConstants.MaxMethodLength + 2;
            if (entry.IsBinary)
            {
                output.WriteBytes(entry.ValueBytes);
            }
            else
            {
                output.WriteString(entry.Value);
            }
            if (output.Length - start > ProtocolConstants.MaxMetadataSize)
            {
                return false;
            }
        }
        return fits;
    }

    /// <summary>Reads a block; an empty block gives <see langword="null"/> so no object is allocated.</summary>
    /// <exception cref="MetadataTooLargeException">The block, a key or a value is over its limit.</exception>
    /// <exception cref="ProtocolException">The block is malformed.</exception>
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
            var key = reader.ReadString(LimitOf(ref reader, ProtocolConstants.MaxMethodLength));
            try
            {
                if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    metadata.Add(key, reader.ReadByteArray(LimitOf(ref reader, ProtocolConstants.MaxMetadataSize)));
                }
                else
                {
                    metadata.Add(key, reader.ReadString(LimitOf(ref reader, ProtocolConstants.MaxMetadataSize)));
                }
            }
            catch (ArgumentException e)
            {
                throw ProtocolException.Malformed("invalid metadata entry: " + e.Message);
            }
            if (start - reader.Remaining > ProtocolConstants.MaxMetadataSize)
            {
                throw new MetadataTooLargeException();
            }
        }
        return metadata;
    }

    /// <summary>
    /// Peeks at the next length prefix: a length the payload holds but the limit does not is "too
    /// large" (a call error); one past the payload stays malformed (the reader throws on it).
    /// </summary>
    private static int LimitOf(ref PayloadReader reader, int limit)
    {
        var copy = reader;
        var length = copy.ReadVarint();
        if (length > (ulong)limit && length <= (ulong)copy.Remaining)
        {
            throw new MetadataTooLargeException();
        }
        return limit;
    }
}
