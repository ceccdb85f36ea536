using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.Redis.Tests;

/// <summary>
/// Reads a child process's output on threads of its own. On Linux an asynchronous read of a pipe
/// (<c>ReadToEndAsync</c>, <c>BeginOutputReadLine</c>) holds a thread-pool thread for as long as it waits: two per
/// worker and two for redis-server, for a whole run, would take ten of the threads the emulator in this process
/// answers from (see <c>ThreadPoolMinThreads</c> in the project file for why those threads matter).
/// </summary>
internal static class ProcessPipes
{
    /// <summary>All of <paramref name="reader"/>'s text, read on a thread of its own.</summary>
    public static Task<string> ReadToEndAsync(StreamReader reader) => OnOwnThread(reader.ReadToEnd);

    /// <summary>Hands each line of <paramref name="reader"/> to <paramref name="line"/>, on a thread of its own, until the output ends.</summary>
    public static Task ForEachLineAsync(StreamReader reader, Action<string> line) => OnOwnThread(() =>
    {
        while (reader.ReadLine() is { } text)
        {
            line(text);
        }

        return true;
    });

    private static Task<T> OnOwnThread<T>(Func<T> work)
        => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
