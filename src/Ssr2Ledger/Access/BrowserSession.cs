using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Ssr2Ledger.Access;

/// <summary>
/// The secretariat's browser session: an API key of role recorder or admin given once at <c>/sign-in</c> becomes an
/// ASP.NET Core authentication cookie (HttpOnly, Secure over TLS, SameSite=Strict, sliding expiry) holding the same
/// claims the key gives the API, so an entry recorded from a form names the key's name as its recorder. Every form
/// carries an ASP.NET Core antiforgery token. The API never reads the cookie: it stays bearer-only, out of reach of
/// cross-site requests. Where <c>Ledger:OpenIdConnect:Authority</c> is configured, an organisation's identity
/// provider signs people in to the same cookie (README: "Recording in the browser").
/// </summary>
public static class BrowserSession
{
    public const string Scheme = "Session";
    public const string OpenIdScheme = "OpenIdConnect";
    public const string CookieName = "ssr2ledger-session";
    public const string AntiforgeryField = "__antiforgery";

    public static void AddBrowserSession(this IServiceCollection services, IConfiguration configuration)
    {
        var idle = TimeSpan.FromMinutes(configuration.GetValue("Ledger:Session:IdleMinutes", 60));
        var authentication = services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = idle;
            options.SlidingExpiration = true;
            options.LoginPath = "/sign-in";
            options.AccessDeniedPath = "/sign-in";
        });
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = AntiforgeryField;
            options.Cookie.Name = "ssr2ledger-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        if (configuration.GetSection("Ledger:OpenIdConnect") is var oidc && !string.IsNullOrEmpty(oidc["Authority"]))
            authentication.AddOpenIdConnect(OpenIdScheme, "your organisation", options => OpenId(options, oidc));
    }

    /// <summary>Whether an organisation's identity provider is configured.</summary>
    public static bool HasOpenId(IConfiguration configuration) => !string.IsNullOrEmpty(configuration["Ledger:OpenIdConnect:Authority"]);

    /// <summary>The claims an API key gives, on the API and in a session alike.</summary>
    public static ClaimsPrincipal Principal(ApiKey key, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role),
            new Claim(Caller.KeyClaim, key.Id), .. (key.Reviews ?? []).Select(r => new Claim(Caller.ReviewClaim, r))], scheme));

    public static bool MayRecord(ClaimsPrincipal user) => user.IsInRole(Roles.Recorder) || user.IsInRole(Roles.Admin);

    /// <summary>The signed-in person, or null; the request's user becomes them, so antiforgery tokens are bound to them.</summary>
    public static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal is not { } user) return null;
        http.User = user;
        return user;
    }

    public static Task SignInAsync(HttpContext http, ClaimsPrincipal user)
    {
        http.User = user;
        return http.SignInAsync(Scheme, user, new AuthenticationProperties { AllowRefresh = true });
    }

    public static string Token(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";

    /// <summary>
    /// A form post from another origin is refused whatever it carries: the browser says where it came from (Sec-Fetch-Site,
    /// else Origin), and SameSite=Strict already keeps the session cookie off it. The pages' no-referrer policy makes a
    /// browser send "Origin: null" on their own forms, which says nothing either way.
    /// </summary>
    public static bool FromAnotherOrigin(HttpContext http)
    {
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is not ("same-origin" or "none");
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null") return false;
        return !string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    public static Task<bool> TokenValidAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);

    /// <summary>
    /// An identity provider's user, as a session: named by its name claim, recording only with the recorder or admin role
    /// in its role claim; their Idempotency-Keys are their own (issuer and subject).
    /// </summary>
    private static void OpenId(OpenIdConnectOptions options, IConfiguration oidc)
    {
        options.Authority = oidc["Authority"];
        options.ClientId = oidc["ClientId"];
        options.ClientSecret = oidc["ClientSecret"];
        options.ResponseType = "code";
        options.UsePkce = true;
        options.SignInScheme = Scheme;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.Scope.Add("profile");
        foreach (var scope in (oidc["Scopes"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)) options.Scope.Add(scope);
        var nameClaim = oidc["NameClaim"] ?? "name";
        var roleClaim = oidc["RoleClaim"] ?? "roles";
        options.Events.OnTokenValidated = context =>
        {
            var person = context.Principal!;
            var role = person.FindAll(roleClaim).Select(c => c.Value).FirstOrDefault(r => r is Roles.Admin or Roles.Recorder);
            if (role is null)
            {
                context.Fail($"The identity provider gave no '{roleClaim}' claim of {Roles.Recorder} or {Roles.Admin}.");
                return Task.CompletedTask;
            }
            var subject = person.FindFirstValue("sub") ?? "";
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity([
                new Claim(ClaimTypes.Name, person.FindFirstValue(nameClaim) ?? subject), new Claim(ClaimTypes.Role, role),
                new Claim(Caller.KeyClaim, $"oidc:{person.FindFirstValue("iss")}:{subject}")], Scheme));
            return Task.CompletedTask;
        };
    }
}
