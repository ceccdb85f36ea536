using System;
using System.Threading.Tasks;
using Conduit;
using Conduit.Jobs;
using Photoshop.Quickstart.PhotoshopModels;

namespace Photoshop.Quickstart;

/// <summary>The generated client, as the quickstart declares it: one attribute on a partial class.</summary>
[OpenApiClient("../../openapi/photoshop.json")]
public partial class PhotoshopClient;

/// <summary>
/// Remove a photo's background, put the cutout into a new layered PSD, then render the PSD as a PNG.
/// Each step is a job: the call returns a handle, and waiting polls within the GET limit (or, in webhook mode,
/// reads the status as soon as the job's event arrives).
/// </summary>
internal sealed class Workflow(IPhotoshopClient photoshop, string name)
{
    public async Task<(int Jobs, int Failed)> RunAsync(Files files)
    {
        try
        {
            var removal = await photoshop.RemoveBackgroundAsync(new RemoveBackgroundRequest
            {
                Image = new ImageInput { Source = new FileSource { Url = files.Input } },
                Mode = RemoveBackgroundRequestMode.Cutout,
            });
            var cutout = (await WaitAsync(removal)).Result!.Outputs[0].Destination!.Url;

            var composite = await photoshop.CreateCompositeAsync(new CreateCompositeRequest
            {
                Image = new ImageInput { Source = new FileSource { Url = cutout } },
                Outputs = [new ImageOutput { Destination = new FileDestination { Url = files.Psd }, MediaType = ImageMediaType.ImageVndAdobePhotoshop }],
            });
            await WaitAsync(composite);

            var render = await photoshop.EditAsync(new EditRequest
            {
                Image = new ImageInput { Source = new FileSource { Url = files.Psd } },
                Outputs = [new ImageOutput { Destination = new FileDestination { Url = files.Png }, MediaType = ImageMediaType.ImagePng }],
            });
            var rendered = await WaitAsync(render);
            Console.WriteLine($"[{name}] done: {rendered.Result?.Outputs[0].Destination?.Url?.GetLeftPart(UriPartial.Path)}");
            return (3, 0);
        }
        catch (Exception e) when (e is ApiException or JobFailedException or JobTimeoutException)
        {
            // The exception says what failed, the service's words, and what to do.
            Console.WriteLine($"[{name}] {e.Message}");
            return (e is ApiException ? 1 : 3, 1);
        }
    }

    /// <summary>Waits for a job, printing each change of state.</summary>
    private async Task<JobStatus> WaitAsync(ApiJob<JobStatus> job)
    {
        Console.WriteLine($"[{name}] {job.OperationId} started job {job.JobId}");
        var last = (JobPhase?)null;
        return await job.WaitForCompletionAsync(new Printer(reading =>
        {
            if (reading.Phase != last)
            {
                last = reading.Phase;
                Console.WriteLine($"[{name}]   {job.OperationId}: {reading.Status} after {reading.Elapsed.TotalSeconds:0.0} s{(reading.AfterEvent ? " (from its event)" : string.Empty)}");
            }
        }));
    }

    /// <summary>Reports each reading as it is read (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class Printer(Action<JobProgress<JobStatus>> print) : IProgress<JobProgress<JobStatus>>
    {
        public void Report(JobProgress<JobStatus> value) => print(value);
    }
}
