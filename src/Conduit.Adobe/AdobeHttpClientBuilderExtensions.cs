using System;
using System.Net.Http;
using Conduit.Adobe;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Adobe sign-in to a generated client's <see cref="IHttpClientBuilder"/>.</summary>
public static class AdobeHttpClientBuilderExtensions
{
    /// <summary>
    /// Signs the client's requests in with <paramref name="credentials"/>: one <see cref="ImsTokenProvider"/>
    /// per registration, shared by every client the factory creates.
    /// </summary>
    /// <param name="builder">The builder an <c>Add&lt;Client&gt;</c> extension returned.</param>
    /// <param name="credentials">The credential.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// services.AddPhotoshopClient().AddAdobeAuthentication(AdobeCredentials.FromEnvironment()!);
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddAdobeAuthentication(this IHttpClientBuilder builder, AdobeCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credentials);
        ImsTokenProvider? tokens = null;
        var gate = new object();
        return builder.AddHttpMessageHandler(provider =>
        {
            lock (gate)
            {
                tokens ??= new ImsTokenProvider(
                    credentials,
                    new HttpClient(),
                    provider.GetService<TimeProvider>(),
                    provider.GetService<ILoggerFactory>()?.CreateLogger<ImsTokenProvider>());
            }

            return new AdobeAuthenticationHandler(tokens);
        });
    }
}
