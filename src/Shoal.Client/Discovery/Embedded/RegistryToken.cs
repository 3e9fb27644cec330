using System.Diagnostics.CodeAnalysis;

namespace Shoal.Client.Discovery.Embedded;

/// <summary>
/// The shared token of an embedded registry's members, kept in a file (a mounted secret) so it
/// never appears on a command line or in a process listing.
/// </summary>
public static class RegistryToken
{
    /// <summary>The longest token accepted: it travels as request metadata on every registry call.</summary>
    public const int MaxLength = 512;

    /// <summary>Reads the token in <paramref name="path"/> (surrounding whitespace ignored); throws <see cref="InvalidOperationException"/> with a message naming the file when it cannot be used.</summary>
    public static string ReadFile(string path)
        => TryRead(path, out var token, out var error) ? token : throw new InvalidOperationException(error);

    /// <summary>Reads the token in <paramref name="path"/>; false with a reason when the file is missing, unreadable, empty or holds more than one line.</summary>
    public static bool TryRead(string path, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? error)
    {
        token = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "the token file path is empty.";
            return false;
        }
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"the token file '{path}' does not exist.";
                return false;
            }
            if (info.Length > MaxLength * 4)
            {
                error = $"the token file '{path}' is {info.Length} bytes; a token is at most {MaxLength} characters.";
                return false;
            }
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"the token file '{path}' cannot be read: {ex.Message}";
            return false;
        }
        if (text.Length == 0)
        {
            error = $"the token file '{path}' is empty.";
            return false;
        }
        if (text.Length > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c > '~'))
        {
            error = $"the token file '{path}' must hold one token of at most {MaxLength} printable ASCII characters without spaces.";
            return false;
        }
        token = text;
        error = null;
        return true;
    }
}
