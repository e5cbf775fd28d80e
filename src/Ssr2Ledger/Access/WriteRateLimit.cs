using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Ssr2Ledger.Access;

/// <summary>
/// Writes are limited per API key (a token bucket: <c>Ledger:RateLimit:WritesPerSecond</c>, default 500, with a
/// burst of twice that; 0 turns it off), so one runaway client cannot crowd out the others. Refusals are 429
/// problem documents with Retry-After.
/// </summary>
public static class WriteRateLimit
{
    public const string Policy = "writes-per-key";

    public static void AddWriteRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perSecond = configuration.GetValue("Ledger:RateLimit:WritesPerSecond", 500);
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context => perSecond <= 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetTokenBucketLimiter(context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = 2 * perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                }));
            options.OnRejected = async (context, cancellation) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many writes",
                    detail: $"This API key may record at most {perSecond} entries a second; nothing was recorded. Try again shortly.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
