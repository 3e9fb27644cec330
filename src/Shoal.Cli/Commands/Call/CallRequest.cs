using Grpc.Core;

namespace Shoal.Cli.Commands.Call;

/// <summary>One <c>shoal call</c> command line, parsed.</summary>
/// <param name="Target">Where to call.</param>
/// <param name="Method"><c>list</c>, <c>describe</c>, or <c>package.Service/Method</c>.</param>
/// <param name="Json">The positional request JSON (for describe: the symbol).</param>
/// <param name="Data">The <c>-d</c> value: JSON, <c>@</c> (stdin) or <c>@file</c>.</param>
/// <param name="Headers">The <c>-H</c> values, <c>name: value</c>.</param>
/// <param name="Timeout">The deadline, if any.</param>
/// <param name="Pretty">Whether responses are indented.</param>
/// <param name="Idempotent">Cluster targets: the method is idempotent whatever its contract says.</param>
/// <param name="EmitDefaults">Whether replies also print the fields at their default value.</param>
internal sealed record CallRequest(string Target, string Method, string? Json, string? Data, IReadOnlyList<string> Headers, TimeSpan? Timeout, bool Pretty,
    bool Idempotent = false, bool EmitDefaults = false)
{
    /// <summary>The channel's options with the credential flags applied (<c>--ca</c>, <c>--registry-token-file</c>, ...); null: from <see cref="Idempotent"/> alone.</summary>
    public Shoal.Client.ShoalChannelOptions? ChannelOptions { get; init; }

    /// <summary>The per-call credentials of <c>--token-file</c>; none when null.</summary>
    public CallCredentials? Credentials { get; init; }

    /// <summary>The request JSON from the argument, <c>-d</c>, stdin (<c>-d @</c>) or a file (<c>-d @path</c>).</summary>
    public async Task<string> ReadJsonAsync(TextReader stdin)
    {
        if (Json is not null && Data is not null)
        {
            throw new UsageException("Give the request either as an argument or with -d, not both.");
        }
        if (Data is null)
        {
            return Json ?? "";
        }
        if (Data == "@")
        {
            return await stdin.ReadToEndAsync().ConfigureAwait(false);
        }
        if (Data.StartsWith('@'))
        {
            var path = Data[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"-d {Data}: no such file '{path}'.");
            }
            return await File.ReadAllTextAsync(path).ConfigureAwait(false);
        }
        return Data;
    }

    /// <summary>The <c>-H</c> headers as metadata; a malformed one is a usage error.</summary>
    public Metadata ParseHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in Headers)
        {
            var colon = header.IndexOf(':');
            if (colon <= 0)
            {
                throw new UsageException($"-H '{header}' is not 'name: value'.");
            }
            var key = header[..colon].Trim().ToLowerInvariant();
            var value = header[(colon + 1)..].Trim();
            try
            {
                if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    metadata.Add(key, Convert.FromBase64String(value));
                }
                else
                {
                    metadata.Add(key, value);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw new UsageException($"-H '{header}': {ex.Message}");
            }
        }
        return metadata;
    }
}
