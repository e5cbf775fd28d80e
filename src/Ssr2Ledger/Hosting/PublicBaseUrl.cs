namespace Ssr2Ledger.Hosting;

/// <summary>
/// Where the ledger is published (<c>Ledger:PublicBaseUrl</c>, e.g. <c>https://ledger.example.org</c>): the only source
/// of the absolute URLs it emits (the feed, the OpenAPI servers). Without it links are relative; the request's Host
/// header never becomes part of an answer, since a client or a proxy chooses it.
/// </summary>
public sealed record PublicBaseUrl(Uri? Value)
{
    public const string Setting = "Ledger:PublicBaseUrl";

    public static PublicBaseUrl From(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text)) return new PublicBaseUrl((Uri?)null);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new InvalidOperationException($"{Setting} must be an absolute http(s) URL without query or fragment, not '{text}'.");
        return new PublicBaseUrl(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"));
    }

    /// <summary>A path of the ledger's (starting with /) as an absolute URL when the base is known, else as it is.</summary>
    public string Link(string path) => Value is null ? path : new Uri(Value, path.TrimStart('/')).AbsoluteUri;
}
