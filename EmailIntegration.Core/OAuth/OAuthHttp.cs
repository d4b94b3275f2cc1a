using EmailIntegration.Core.Security;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace EmailIntegration.Core.OAuth;

/// <summary>
/// The one HTTP client for identity providers, shared by MSAL and Google's library, with the
/// product's certificate trust rules.
/// </summary>
public sealed class OAuthHttp : IMsalHttpClientFactory, IDisposable
{
    private readonly TlsOptions tls;
    private readonly HttpClient client;

    public OAuthHttp(IOptions<TlsOptions> tls)
    {
        this.tls = tls.Value;
        client = new HttpClient(this.tls.CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient GetHttpClient() => client;

    public void Dispose() => client.Dispose();
}
