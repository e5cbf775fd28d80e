using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// Brotli or gzip, as the client accepts, for what the ledger serves as text: pages, JSON, CSV, Markdown, the feed and
/// the OpenAPI document. Never for an answer that holds a secret beside text an attacker can choose (BREACH): an
/// antiforgery token is such a secret, and ASP.NET Core's antiforgery marks every answer that carries one
/// <c>Cache-Control: no-store</c> (as do sign-in answers that set a cookie); any answer so marked, or that sets a cookie,
/// or whose code says so (<see cref="IHttpsCompressionFeature"/> <c>DoNotCompress</c>), goes uncompressed, over HTTP as
/// over HTTPS. The public reads hold no secret: what they show is the public ledger.
/// </summary>
public sealed class Compression(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
    : ResponseCompressionProvider(services, options)
{
    public static readonly string[] MediaTypes =
    [
        "text/html", "text/plain", "text/markdown", "text/csv", "application/json", "application/problem+json",
        "application/atom+xml", "application/x-ndjson", "image/svg+xml",
    ];

    public static void AddLedgerCompression(IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = MediaTypes;
        });
        // Fastest: a long export is sent as it is written, and the text compresses well at any level.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Replace(ServiceDescriptor.Singleton<IResponseCompressionProvider, Compression>());
    }

    public override bool ShouldCompressResponse(HttpContext context)
    {
        var response = context.Response;
        if (context.Features.Get<IHttpsCompressionFeature>()?.Mode == HttpsCompressionMode.DoNotCompress) return false;
        if (response.Headers.SetCookie.Count > 0) return false;
        if (response.Headers.CacheControl.Any(v => v?.Contains("no-store", StringComparison.OrdinalIgnoreCase) == true)) return false;
        return base.ShouldCompressResponse(context);
    }
}
