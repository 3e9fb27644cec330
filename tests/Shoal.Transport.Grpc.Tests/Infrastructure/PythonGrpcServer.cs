using System.Diagnostics;
using System.Globalization;

namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>interop_server.py as a running process: a Greeter served by python3-grpcio. Stopped on dispose.</summary>
public sealed class PythonGrpcServer : IAsyncDisposable
{
    private readonly Process _process;

    private PythonGrpcServer(Process process, int port)
    {
        _process = process;
        Target = $"http://127.0.0.1:{port}";
    }

    /// <summary>The server's gRPC target, such as <c>http://127.0.0.1:40123</c>.</summary>
    public string Target { get; }

    public static async Task<PythonGrpcServer> StartAsync()
    {
        var process = Process.Start(PythonGrpc.StartInfo("interop_server.py"))!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(PythonGrpc.Timeout);
            if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                await process.WaitForExitAsync().WaitAsync(PythonGrpc.Timeout);
                var error = await stderr;
                throw new InvalidOperationException($"interop_server.py did not start: {error}{PythonGrpc.MissingGrpcHint(error)}");
            }
            return new PythonGrpcServer(process, int.Parse(line["LISTENING ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Closing stdin asks the script to stop; it is killed if it does not within the bound.
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Stop(_process);
        }
        finally
        {
            Stop(_process);
            _process.Dispose();
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
