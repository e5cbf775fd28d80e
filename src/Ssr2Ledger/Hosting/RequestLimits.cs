using Microsoft.AspNetCore.Http.Extensions;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// Kestrel answers a request line or headers over its limits itself (414, 431) with an empty body, before any middleware
/// can say why. So Kestrel's limits are set well above the ledger's, and the ledger enforces its own (Kestrel's defaults:
/// 8 KiB of request line, 32 KiB of headers) here, with problem documents. Only what exceeds Kestrel's raised limits or
/// is not HTTP at all still gets Kestrel's bare answer. Every answer also carries <c>X-Content-Type-Options: nosniff</c>,
/// so that no problem document echoing a query is ever sniffed as something else.
/// </summary>
public static class RequestLimits
{
    public const int MaxRequestLine = 8 * 1024;
    public const int MaxHeaders = 32 * 1024;

    public static void RaiseKestrelLimits(this IWebHostBuilder web) =>
        web.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 8 * MaxRequestLine;
            kestrel.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaders;
        });

    public static void UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            var line = http.Request.Method.Length + http.Request.GetEncodedPathAndQuery().Length + 10;
            var headers = http.Request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => (v?.Length ?? 0) + 4));
            if (line > MaxRequestLine)
                await Results.Problem(statusCode: StatusCodes.Status414UriTooLong, title: "Request line too long",
                    detail: $"The method, path and query must take at most {MaxRequestLine:N0} bytes.").ExecuteAsync(http);
            else if (headers > MaxHeaders)
                await Results.Problem(statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge, title: "Headers too large",
                    detail: $"The request's headers must take at most {MaxHeaders:N0} bytes.").ExecuteAsync(http);
            else await next(http);
        });
}
