using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace Conduit.Redis.Tests;

/// <summary>
/// A <c>redis-server</c> of our own on a free loopback port, without persistence. Finds the binary on the
/// PATH or in /usr/bin; when there is none, installs Debian's <c>redis-server</c> package with apt-get (as
/// root, else through sudo). Tests never skip: when Redis cannot be had, they fail saying why.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly object InstallLock = new();
    private Process? _process;

    private RedisServer(string binary, int port)
    {
        Binary = binary;
        Port = port;
    }

    public string Binary { get; }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FindOrInstall(), FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same port, empty) and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        Kill();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        _process = new Process { StartInfo = start };
        _process.Start();
        _ = ProcessPipes.ForEachLineAsync(_process.StandardOutput, line => Append(output, line));
        _ = ProcessPipes.ForEachLineAsync(_process.StandardError, line => Append(output, line));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Binary} exited with code {_process.ExitCode} on port {Port}:{Environment.NewLine}{Read(output)}");
            }

            if (await PingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"{Binary} did not answer PING on port {Port} within 15 s:{Environment.NewLine}{Read(output)}");
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static string FindOrInstall()
    {
        lock (InstallLock)
        {
            if (Find() is { } found)
            {
                return found;
            }

            var log = new StringBuilder();
            if (!Install(log))
            {
                Run("apt-get", "update", log);
                Install(log);
            }

            return Find() ?? throw new InvalidOperationException(
                "These tests need redis-server and it could not be installed. Install Debian's package "
                + "(apt-get install -y redis-server) or put redis-server on the PATH, then run them again. apt-get said:"
                + Environment.NewLine + log);
        }
    }

    private static bool Install(StringBuilder log) => Run("apt-get", "install -y redis-server", log);

    /// <summary>Runs an apt-get command, as root directly, otherwise through sudo without a prompt.</summary>
    private static bool Run(string command, string arguments, StringBuilder log)
    {
        var root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var start = root ? new ProcessStartInfo(command, arguments) : new ProcessStartInfo("sudo", $"-n {command} {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(start)!;
            var stdout = ProcessPipes.ReadToEndAsync(process.StandardOutput);
            var stderr = ProcessPipes.ReadToEndAsync(process.StandardError);
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                log.AppendLine($"> {start.FileName} {start.Arguments}: no end after 5 minutes");
                return false;
            }

            log.AppendLine($"> {start.FileName} {start.Arguments} (exit {process.ExitCode})").AppendLine(stderr.Result.Trim());
            _ = stdout.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.AppendLine($"> {start.FileName} {start.Arguments}: {e.Message}");
            return false;
        }
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>One redis-server shared by the tests of a class; tests that kill Redis start their own.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
