using System.Threading.Tasks;
using Verify = Conduit.Analyzers.Tests.Infrastructure.ConduitTest<Conduit.Generators.Analyzers.JobAnalyzer, Conduit.CodeFixes.JobCodeFixer>;

namespace Conduit.Analyzers.Tests.Rules;

/// <summary>
/// CND3007, CND3008 and CND3009: every Photoshop POST starts a job ([OperationRules(StartsJob = true)]) and
/// returns an ApiJob handle; what happens to the job is only known by waiting for it.
/// </summary>
public sealed class JobTests
{
    private const string Studio = """
        public sealed class Studio(IPhotoshopClient photoshop)
        {
            private readonly List<string> _started = [];

            public async Task RunAsync(CreateCompositeRequest composite, EditRequest edit, RemoveBackgroundRequest cutout, CancellationToken cancellationToken)
            {
                BODY
            }
        }
        """;

    private static string In(string body) => Studio.Replace("BODY", body.Replace("\n", "\n        "));

    [Fact]
    public Task A_discarded_job_is_reported_and_waited_for() => Verify.VerifyAsync(
        In("""
            await {|CND3007:photoshop.CreateCompositeAsync(composite, cancellationToken: cancellationToken)|};
            _ = await {|CND3007:photoshop.EditAsync(edit)|};
            {|CND3007:photoshop.RemoveBackgroundAsync(cutout)|};
            await {|CND3007:photoshop.EditAsync(edit, cancellationToken: CancellationToken.None)|}.ConfigureAwait(false);
            """),
        In("""
            await (await photoshop.CreateCompositeAsync(composite, cancellationToken: cancellationToken)).WaitForCompletionAsync(cancellationToken);
            _ = await (await photoshop.EditAsync(edit)).WaitForCompletionAsync();
            await (await photoshop.RemoveBackgroundAsync(cutout)).WaitForCompletionAsync();
            await (await photoshop.EditAsync(edit, cancellationToken: CancellationToken.None).ConfigureAwait(false)).WaitForCompletionAsync(CancellationToken.None);
            """));

    [Fact]
    public Task A_job_kept_but_only_logged_is_reported_and_waited_for_after_its_declaration() => Verify.VerifyAsync(
        In("""
            var job = await {|CND3007:photoshop.CreateCompositeAsync(composite, null, cancellationToken)|};
            Console.WriteLine($"started {job.JobId} for {job.OperationId}");
            """),
        In("""
            var job = await photoshop.CreateCompositeAsync(composite, null, cancellationToken);
            await job.WaitForCompletionAsync(cancellationToken);
            Console.WriteLine($"started {job.JobId} for {job.OperationId}");
            """));

    [Fact]
    public Task A_job_only_written_to_a_logger_is_reported() => Verify.VerifyAsync(
        """
        public sealed class Logged(IPhotoshopClient photoshop, Microsoft.Extensions.Logging.ILogger logger)
        {
            public async Task StartAsync(EditRequest edit)
            {
                var job = await {|CND3007:photoshop.EditAsync(edit)|};
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "Started {JobId} ({Job})", job.JobId, job);
            }
        }
        """,
        """
        public sealed class Logged(IPhotoshopClient photoshop, Microsoft.Extensions.Logging.ILogger logger)
        {
            public async Task StartAsync(EditRequest edit)
            {
                var job = await photoshop.EditAsync(edit);
                await job.WaitForCompletionAsync();
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "Started {JobId} ({Job})", job.JobId, job);
            }
        }
        """);

    [Fact]
    public Task A_job_left_where_await_cannot_be_written_is_reported_without_a_fix()
    {
        var source = """
            public sealed class Starter(IPhotoshopClient photoshop)
            {
                public void Start(EditRequest edit) => {|CND3007:photoshop.EditAsync(edit)|};

                public void StartToo(EditRequest edit)
                {
                    _ = {|CND3007:photoshop.EditAsync(edit)|};
                }
            }
            """;
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task Top_level_statements_wait_too() => Verify.VerifyAsync(
        """
        using App;
        using App.PhotoshopModels;

        var photoshop = new PhotoshopClient(new HttpClient());
        await {|CND3007:photoshop.RemoveBackgroundAsync(new RemoveBackgroundRequest { Image = new ImageInput { Source = new FileSource { Url = new Uri("https://bucket.s3.amazonaws.com/photo.jpg") } } })|};

        """,
        """
        using App;
        using App.PhotoshopModels;

        var photoshop = new PhotoshopClient(new HttpClient());
        await (await photoshop.RemoveBackgroundAsync(new RemoveBackgroundRequest { Image = new ImageInput { Source = new FileSource { Url = new Uri("https://bucket.s3.amazonaws.com/photo.jpg") } } })).WaitForCompletionAsync();

        """,
        topLevel: true);

    [Fact]
    public Task Jobs_that_are_waited_for_read_passed_returned_or_stored_are_not_reported() => Verify.VerifyAsync("""
        public sealed class Studio(IPhotoshopClient photoshop)
        {
            private readonly List<string> _started = [];
            private ApiJob<JobStatus>? _last;

            public async Task<JobStatus> WaitAsync(EditRequest edit, CancellationToken cancellationToken)
            {
                var job = await photoshop.EditAsync(edit, cancellationToken: cancellationToken);
                return await job.WaitForCompletionAsync(cancellationToken);
            }

            public async Task<ApiJob<JobStatus>> StartAsync(EditRequest edit) => await photoshop.EditAsync(edit);

            public Task<ApiJob<JobStatus>> StartLaterAsync(EditRequest edit) => photoshop.EditAsync(edit);

            public async Task TrackAsync(EditRequest edit, RemoveBackgroundRequest cutout)
            {
                var polled = await photoshop.EditAsync(edit);
                var reading = await polled.GetStatusAsync();
                var kept = await photoshop.EditAsync(edit);
                _last = kept;
                var evented = await photoshop.RemoveBackgroundAsync(cutout, xGwImsOrgId: "ORG@AdobeOrg");
                _started.Add(evented.JobId);
                var handed = await photoshop.EditAsync(edit);
                await FollowAsync(handed);
                await Task.WhenAll(photoshop.EditAsync(edit), photoshop.EditAsync(edit));
            }

            private static Task FollowAsync(ApiJob<JobStatus> job) => job.WaitForCompletionAsync();
        }
        """);

    [Fact]
    public Task Blocking_on_a_job_is_reported_and_awaited() => Verify.VerifyAsync(
        In("""
            var job = {|CND3008:photoshop.CreateCompositeAsync(composite).Result|};
            var id = {|CND3008:photoshop.EditAsync(edit).Result|}.JobId;
            {|CND3008:job.WaitForCompletionAsync(cancellationToken).Wait()|};
            var status = {|CND3008:job.WaitForCompletionAsync().GetAwaiter().GetResult()|};
            var reading = {|CND3008:job.GetStatusAsync().ConfigureAwait(false).GetAwaiter().GetResult()|};
            var waiting = job.WaitForCompletionAsync();
            Console.WriteLine({|CND3008:waiting.Result|}.Status);
            """),
        In("""
            var job = await photoshop.CreateCompositeAsync(composite);
            var id = (await photoshop.EditAsync(edit)).JobId;
            await job.WaitForCompletionAsync(cancellationToken);
            var status = await job.WaitForCompletionAsync();
            var reading = await job.GetStatusAsync().ConfigureAwait(false);
            var waiting = job.WaitForCompletionAsync();
            Console.WriteLine((await waiting).Status);
            """));

    [Fact]
    public Task Blocking_outside_an_async_function_is_reported_without_a_fix()
    {
        var source = """
            public sealed class Blocking(IPhotoshopClient photoshop)
            {
                public JobStatus Render(EditRequest edit)
                {
                    var job = {|CND3008:photoshop.EditAsync(edit).Result|};
                    return {|CND3008:job.WaitForCompletionAsync().GetAwaiter().GetResult()|};
                }
            }
            """;
        return Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task Other_tasks_results_are_not_reported() => Verify.VerifyAsync("""
        public static class Other
        {
            public static string Read(HttpClient http) => http.GetStringAsync("https://example.com").Result;

            public static async Task<int> DoneAsync(Task<int> task) => task.IsCompleted ? task.Result : await task;
        }
        """);

    [Fact]
    public Task Polling_the_status_in_a_loop_is_reported_and_a_sweep_over_jobs_is_not()
    {
        var source = """
            public static class Polling
            {
                public static async Task<JobStatus> WaitByHandAsync(ApiJob<JobStatus> job, CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        var reading = await {|CND3009:job.GetStatusAsync(cancellationToken)|};
                        if (reading.Phase is JobPhase.Succeeded or JobPhase.Failed)
                        {
                            return reading.Value;
                        }

                        await Task.Delay(1000, cancellationToken);
                    }
                }

                public static async Task<int> CountRunningAsync(IEnumerable<ApiJob<JobStatus>> jobs)
                {
                    var running = 0;
                    foreach (var job in jobs)
                    {
                        running += (await job.GetStatusAsync()).Phase == JobPhase.Running ? 1 : 0;
                    }

                    return running;
                }
            }
            """;
        return Verify.VerifyAsync(source, source);
    }
}
