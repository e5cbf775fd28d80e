using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Ssr2Ledger.Access;
using static Ssr2Ledger.Pages.ReviewPages;

namespace Ssr2Ledger.Pages;

/// <summary>
/// <c>/sign-in</c> (an API key of role recorder or admin, once; or the organisation's identity provider when configured)
/// and <c>/sign-out</c>. Both are forms with an antiforgery token; signing in from another origin is refused too.
/// </summary>
public static class SignIn
{
    /// <summary>Everything the secretariat does in the browser: sign-in, the forms, entries' pages, imports.</summary>
    public static void MapBrowserRecording(this IEndpointRouteBuilder app, Ledger.EventCatalog catalog)
    {
        app.MapSignIn();
        app.MapRecordingPages(catalog);
        app.MapEntryPages(catalog);
        app.MapImportPage();
    }

    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(SessionHeader.Filter);

        pages.MapGet("/sign-in", (HttpContext http, IConfiguration configuration, string? returnUrl) =>
            Form(http, configuration, Local(returnUrl), null, 200));

        pages.MapPost("/sign-in", async (HttpContext http, IConfiguration configuration, KnownApiKeys keys) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var returnUrl = Local(form["returnUrl"]);
            if (BrowserSession.FromAnotherOrigin(http)) return Form(http, configuration, returnUrl, "A sign-in from another site is refused.", 403);
            await BrowserSession.SignedInAsync(http);
            if (!await BrowserSession.TokenValidAsync(http))
                return Form(http, configuration, returnUrl, "The form had expired or was not this site's: sign in again.", 400);
            var key = await keys.FindAsync(form["apiKey"].ToString().Trim(), http.RequestAborted);
            if (key is null) return Form(http, configuration, returnUrl, "That is not an API key this ledger knows.", 401);
            if (key.Role is not (Roles.Recorder or Roles.Admin))
                return Form(http, configuration, returnUrl,
                    $"Key '{key.Name}' may read but not record (role {key.Role}): sign in with a key of role recorder or admin.", 403);
            await BrowserSession.SignInAsync(http, BrowserSession.Principal(key, BrowserSession.Scheme));
            return Results.Redirect(returnUrl);
        });

        // The identity provider sends people back cross-site, so the SameSite=Strict cookie waits for a page of this site.
        pages.MapGet("/sign-in/organisation", (string? returnUrl, IConfiguration configuration) => !BrowserSession.HasOpenId(configuration)
            ? SignIn.Refused(404, "No identity provider is configured here: sign in with an API key.") : Results.Challenge(
            new AuthenticationProperties { RedirectUri = "/sign-in/done?returnUrl=" + Uri.EscapeDataString(Local(returnUrl)) },
            [BrowserSession.OpenIdScheme]));
        pages.MapGet("/sign-in/done", (string? returnUrl) => Page("Signed in",
            $"<h1>Signed in</h1><p><a href=\"{A(Local(returnUrl))}\">Continue</a></p>"));

        pages.MapPost("/sign-out", async (HttpContext http) =>
        {
            if (BrowserSession.FromAnotherOrigin(http)) return Refused(403, "A sign-out from another site is refused.");
            await http.Request.ReadFormAsync(http.RequestAborted);
            await BrowserSession.SignedInAsync(http);
            if (!await BrowserSession.TokenValidAsync(http)) return Refused(400, "The form had expired or was not this site's.");
            await http.SignOutAsync(BrowserSession.Scheme);
            return Results.Redirect("/");
        });
    }

    private static IResult Form(HttpContext http, IConfiguration configuration, string returnUrl, string? problem, int status)
    {
        var body = $"<h1>Sign in to record</h1>{(problem is null ? "" : $"<p role=\"alert\" class=\"refused\">{H(problem)}</p>")}"
            + "<p>Give an API key of role recorder or admin (<code>keys add --name N --role recorder</code>) once; the session "
            + "lasts while you use it. Entries you record name the key's name as their recorder.</p>"
            + $"<form method=\"post\" action=\"/sign-in\">{Hidden(http)}<input type=\"hidden\" name=\"returnUrl\" value=\"{A(returnUrl)}\">"
            + "<label for=\"apiKey\">API key</label> <input type=\"password\" id=\"apiKey\" name=\"apiKey\" autocomplete=\"off\" required> "
            + "<button type=\"submit\">Sign in</button></form>"
            + (BrowserSession.HasOpenId(configuration)
                ? $"<p><a href=\"/sign-in/organisation?returnUrl={U(returnUrl)}\">Sign in with your organisation</a></p>" : "");
        return Results.Content(Layout("Sign in", body), "text/html; charset=utf-8", null, status);
    }

    /// <summary>Only a path of this site: a sign-in never sends anyone elsewhere.</summary>
    public static string Local(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\') ? url : "/";

    /// <summary>The form's antiforgery token, as a hidden field.</summary>
    public static string Hidden(HttpContext http) =>
        $"<input type=\"hidden\" name=\"{BrowserSession.AntiforgeryField}\" value=\"{A(BrowserSession.Token(http))}\">";

    /// <summary>A refused form post: nothing was recorded.</summary>
    public static IResult Refused(int status, string detail) => Results.Content(Layout("Refused",
            $"<h1>Refused</h1><p role=\"alert\" class=\"refused\">{H(detail)} Nothing was recorded.</p><p><a href=\"/\">All reviews</a></p>"),
        "text/html; charset=utf-8", null, status);
}

/// <summary>
/// What every page carries: the security headers, and a header saying who is signed in (with a sign-out form) or offering
/// to sign in. Added as the page leaves, so the pages themselves stay about the review.
/// </summary>
public static class SessionHeader
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        SecurityHeaders(http.Response);
        var user = await BrowserSession.SignedInAsync(http);
        var result = await next(context);
        if (result is not ContentHttpResult { ResponseContent: { } html, ContentType: { } type } page
            || !type.StartsWith("text/html", StringComparison.Ordinal)) return result;
        return Results.Content(html.Replace("<body><main>", $"<body>{Header(http, user)}<main>"), type, null, page.StatusCode);
    }

    private static string Header(HttpContext http, ClaimsPrincipal? user)
    {
        if (user is null)
            return $"<header class=\"session\"><a href=\"/sign-in?returnUrl={U(SignIn.Local(http.Request.Path + http.Request.QueryString))}\">"
                + "Sign in to record</a></header>";
        http.Response.Headers.CacheControl = "no-store";
        return $"<header class=\"session\">Signed in as <strong data-signed-in>{H(user.FindFirstValue(ClaimTypes.Name) ?? "")}</strong> "
            + $"({H(user.FindFirstValue(ClaimTypes.Role) ?? "")}) <form method=\"post\" action=\"/sign-out\" style=\"display:inline\">{SignIn.Hidden(http)}"
            + "<button type=\"submit\">Sign out</button></form></header>";
    }
}
