using System.Net;
using System.Text.RegularExpressions;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>A cookie-keeping HTTP client that signs in through the real sign-in form, antiforgery token and all.</summary>
public sealed partial class HttpSession : IDisposable
{
    private readonly HttpClient client;

    public HttpSession(Uri baseUri)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        client = new HttpClient(handler) { BaseAddress = baseUri };
    }

    public Task<HttpResponseMessage> GetAsync(string path) => client.GetAsync(path);

    /// <summary>Fills and posts a statically rendered Blazor form found at <paramref name="pagePath"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, IDictionary<string, string> fields)
    {
        using var page = await client.GetAsync(pagePath);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields);
        foreach (Match hidden in HiddenInput().Matches(html))
        {
            form.TryAdd(WebUtility.HtmlDecode(hidden.Groups["name"].Value), WebUtility.HtmlDecode(hidden.Groups["value"].Value));
        }

        return await client.PostAsync(pagePath, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts to <paramref name="action"/> a form found on an interactive page's prerendered HTML.</summary>
    public async Task<HttpResponseMessage> PostFromPageAsync(string pagePath, string action, IDictionary<string, string> fields)
    {
        using var page = await client.GetAsync(pagePath);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields);
        var token = HiddenInput().Matches(html).First(m => m.Groups["name"].Value == "__RequestVerificationToken");
        form["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts fields as they are, without picking up the page's hidden tokens.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, IDictionary<string, string> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields));

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public void Dispose() => client.Dispose();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();
}
