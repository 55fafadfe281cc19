using System.Text.Json;
using Analytics.Application;
using Analytics.Application.Notifications;
using Analytics.Application.Profiles;
using Analytics.Application.Reports;
using Analytics.Application.Routing;
using Analytics.Application.WhatIf;
using Analytics.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The HTTP API, bound to 127.0.0.1 by default: thin adapters over the application layer. Every endpoint needs the API
/// key in the <c>X-Api-Key</c> header but <c>/api/health</c>, which without it says only whether the worker is up;
/// without a configured key the API answers 401 to everything else (and the worker says so at start). Errors are
/// RFC 7807 problem documents.
/// </summary>
internal static class ApiEndpoints
{
    private static bool HasKey(HttpContext context, AnalyticsSettings settings)
    {
        var key = context.Request.Headers["X-Api-Key"].ToString();
        return !string.IsNullOrEmpty(settings.ApiKey) && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(settings.ApiKey));
    }

    /// <summary>The key is checked; then the request waits for the store at most <c>Analytics:ApiWaitSeconds</c> (503 after).</summary>
    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> RequireKey(AnalyticsSettings settings) => async (context, next) =>
    {
        if (!HasKey(context.HttpContext, settings))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "missing or wrong API key",
                detail: "send the key configured as Analytics:ApiKey in the X-Api-Key header");
        using (SharedStore.WaitAtMost(TimeSpan.FromSeconds(settings.ApiWaitSeconds)))
            return await next(context);
    };

    public static void Map(WebApplication app, AnalyticsSettings settings)
    {
        // Without the key, only whether the worker is up: the database path and versions are for the key's holders.
        // With the key, also what holds the store now (a long load makes other requests wait, then answer 503).
        app.MapGet("/api/health", async (HttpContext http, SharedStore store, RoutingService routing, ProfileService profiles, CancellationToken ct) =>
        {
            if (!HasKey(http, settings))
                return Results.Ok(new { status = "ok" });
            var busy = store.Busy is { } b ? new { activity = b.Activity, since = b.Since.UtcDateTime } : null;
            using (SharedStore.WaitAtMost(TimeSpan.FromSeconds(1)))
            {
                try
                {
                    var profile = await profiles.CurrentAsync(ct);
                    return Results.Ok(new { status = "ok", database = store.Path, modelVersion = routing.ModelVersion, profileVersion = (int?)profile.Version, busy });
                }
                catch (StoreBusyException)
                {
                    return Results.Ok(new { status = "ok", database = store.Path, modelVersion = routing.ModelVersion, profileVersion = (int?)null, busy });
                }
            }
        });

        var api = app.MapGroup("/api").AddEndpointFilter(RequireKey(settings));

        api.MapGet("/stats", async (IStoreAccess store, CancellationToken ct) =>
            Answer(await StoreInfo.StatisticsAsync(store, ct), s => new { cases = s.Cases, events = s.Events, activities = s.Activities, quarantined = s.Quarantined, files = s.Files }));

        api.MapGet("/profile", async (ProfileService profiles, CancellationToken ct) =>
            Answer(await profiles.ShowAsync(ct), o => new
            {
                acceptedVersion = o.Accepted?.Version,
                pendingVersion = o.Pending?.Version,
                profile = JsonDocument.Parse(o.InUse.ToJson()).RootElement.Clone(),
            }));

        // The weekly report of an ISO week: the page by default, ?format=json or ?format=md for the others.
        app.MapGet("/reports/{week}", async (string week, string? format, string? lang, WeeklyReportService reports, CancellationToken ct) =>
        {
            if (format is not (null or "html" or "json" or "md"))
                return Results.Problem(statusCode: 400, title: "unknown format", detail: $"format '{format}': html (default), json or md");
            var folder = Path.Combine(Path.GetTempPath(), "analytics-report-" + Guid.NewGuid().ToString("N"));
            try
            {
                var written = await reports.WriteAsync(new ReportRequest(week, folder, lang), ct);
                if (!written.Succeeded)
                    return Problem(written.Problem!, "not a report week");
                var (path, type) = format switch
                {
                    "json" => (written.Value!.Json, "application/json"),
                    "md" => (written.Value!.Markdown, "text/markdown; charset=utf-8"),
                    _ => (written.Value!.Html, "text/html; charset=utf-8"),
                };
                return Results.Text(await File.ReadAllTextAsync(path, ct), type);
            }
            finally
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
            }
        }).AddEndpointFilter(RequireKey(settings));

        // A what-if run: the body is a scenario with the run's options; the store is held only while the cases are read.
        api.MapPost("/whatif", async (HttpRequest request, WhatIfService whatIf, CancellationToken ct) =>
        {
            var (body, problem) = await ReadJsonAsync(request, ct);
            if (body is null)
                return problem!;
            using (body)
            {
                WhatIfRequest run;
                Core.WhatIf.WhatIfScenario scenario;
                try
                {
                    (run, scenario) = WhatIfRequest.FromJson(body.RootElement);
                }
                catch (FormatException ex)
                {
                    return Results.Problem(statusCode: 400, title: "not a valid what-if request", detail: ex.Message);
                }
                var input = await whatIf.LoadAsync(run, scenario, ct);
                if (!input.Succeeded)
                    return Problem(input.Problem!, "not a valid what-if request");
                var document = await Task.Run(() => WhatIfService.Analyse(run, input.Value!, ct), ct);
                return document.Succeeded ? Results.Json(document.Value!.ToJson(), Json.Options) : Problem(document.Problem!, "not a valid what-if request");
            }
        });

        api.MapGet("/outbox", async (NotificationService notifications, CancellationToken ct) =>
            Answer(await notifications.CountsAsync(ct), c => new { delivered = c.Delivered, waiting = c.Waiting }));

        // One path for routing an order: the same as the worker's after an ingest; recorded and queued exactly once.
        api.MapPost("/routing/suggestions", async (HttpRequest request, RoutingService routing, TimeProvider time, CancellationToken ct) =>
        {
            var (body, problem) = await ReadJsonAsync(request, ct);
            if (body is null)
                return problem!;
            using (body)
            {
                DecisionCase order;
                try
                {
                    order = OrderJson.Parse(body.RootElement, time.GetUtcNow().UtcDateTime);
                }
                catch (FormatException ex)
                {
                    return Results.Problem(statusCode: 400, title: "not a valid order", detail: ex.Message);
                }
                var suggestion = await routing.RouteAsync(order, ct);
                return suggestion.Succeeded ? Results.Json(suggestion.Value, Json.Options) : Problem(suggestion.Problem!, "no suggestion");
            }
        });
    }

    private static IResult Answer<T>(Result<T> result, Func<T, object> shape) =>
        result.Succeeded ? Results.Ok(shape(result.Value!)) : Problem(result.Problem!, "the request failed");

    private static IResult Problem(Problem problem, string title) => Results.Problem(
        statusCode: problem.Kind switch
        {
            ProblemKind.Invalid => StatusCodes.Status400BadRequest,
            ProblemKind.NotFound => StatusCodes.Status404NotFound,
            ProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status422UnprocessableEntity,
        },
        title: problem.Kind == ProblemKind.NotFound ? "not found" : title, detail: problem.Message);

    /// <summary>The request body as JSON, or a 400/415 problem saying why it is not.</summary>
    private static async Task<(JsonDocument? Body, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "the body must be JSON",
                detail: request.ContentType is { Length: > 0 } type
                    ? $"Content-Type '{type}': send the body as application/json"
                    : "no Content-Type: send the body as application/json (curl: -H 'Content-Type: application/json')"));
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, cancellationToken: ct), null);
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: 400, title: "the body is not JSON", detail: ex.Message));
        }
    }
}
