// Conduit quickstart: a chained Photoshop workflow through the client Conduit generates from
// openapi/photoshop.json. It runs against a Photoshop API stand-in on loopback: no account needed.
using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit;
using PhotoshopModels;

await using var photoshopApi = await PhotoshopStandIn.StartAsync();
Console.WriteLine($"Photoshop API stand-in listening on {photoshopApi.BaseAddress}");

// The generated client takes a plain HttpClient; credentials are ordinary default headers.
using var http = new HttpClient { BaseAddress = photoshopApi.BaseAddress };
http.DefaultRequestHeaders.Authorization = new("Bearer", PhotoshopStandIn.AccessToken);
http.DefaultRequestHeaders.Add("x-api-key", PhotoshopStandIn.ApiKey);
IPhotoshopClient photoshop = new PhotoshopClient(http);

// 1. Cut the product out of its photo.
var removal = await photoshop.RemoveBackgroundAsync(new RemoveBackgroundRequest
{
    Image = new ImageInput { Source = new FileSource { Url = new Uri("https://my-bucket.s3.amazonaws.com/in/sneaker.jpg?X-Amz-Signature=example") } },
    Mode = RemoveBackgroundRequestMode.Cutout,
});
Console.WriteLine($"removeBackground started job {removal.JobId}");
var removed = await WaitForJobAsync(photoshop.GetRemoveBackgroundStatusAsync, removal.JobId);
var cutout = removed.Result!.Outputs[0].Destination!.Url;
Console.WriteLine($"  cutout: {cutout}");

// 2. Feed the cutout into a composite, written to a URL we name.
var composite = await photoshop.CreateCompositeAsync(new CreateCompositeRequest
{
    Image = new ImageInput { Source = new FileSource { Url = cutout } },
    Outputs =
    [
        new ImageOutput
        {
            Destination = new FileDestination { Url = new Uri("https://my-bucket.s3.amazonaws.com/out/sneaker-composite.png?X-Amz-Signature=example") },
            MediaType = ImageMediaType.ImagePng,
        },
    ],
});
Console.WriteLine($"createComposite started job {composite.JobId}");
var composed = await WaitForJobAsync(photoshop.GetJobStatusAsync, composite.JobId);
foreach (var output in composed.Result!.Outputs)
{
    Console.WriteLine($"  output: {output.Destination?.Url} ({output.MediaType})");
}

// 3. Errors are typed: the exception carries the status, the parsed error body and the document's hint.
using var anonymous = new HttpClient { BaseAddress = photoshopApi.BaseAddress };
try
{
    await new PhotoshopClient(anonymous).GetJobStatusAsync(composite.JobId);
}
catch (ApiException<ApiError> e)
{
    Console.WriteLine($"Without credentials, {e.OperationId} failed: {(int?)e.StatusCode} {e.Error.ErrorCode}");
    Console.WriteLine($"  {e.Message}");
}

Console.WriteLine("Quickstart finished: background removed, composite created, typed error shown.");

// Polls a job's status until it is final, printing each state.
static async Task<JobStatus> WaitForJobAsync(Func<string, CancellationToken, Task<JobStatus>> getStatus, string jobId)
{
    while (true)
    {
        var job = await getStatus(jobId, default);
        Console.WriteLine($"  {job.Status.Value}");
        if (job.Status == JobState.Succeeded)
        {
            return job;
        }

        if (job.Status == JobState.Failed)
        {
            throw new InvalidOperationException($"Job {jobId} failed: {job.ErrorDetails?[0].Message}");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200));
    }
}
