using System.Text.Json;
using Analytics.Application;
using Analytics.Application.Ingestion;
using Analytics.Application.Notifications;
using Analytics.Application.Prediction;
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

        // Mining on the worker's open store: the log's columns stay in memory between calls (and are renewed with each
        // load), so a call costs the computation alone. The answers are those of 'mine dfg --json' and 'mine variants --json'.
        api.MapGet("/mine/dfg", async (string? calendar, bool? noCalendar, bool? includeSide, Application.Mining.MiningService mining, CancellationToken ct) =>
            Answer(await mining.DirectlyFollowsAsync(new Application.Mining.MiningRequest(Calendar: calendar, NoCalendar: noCalendar ?? false, IncludeSide: includeSide ?? false), ct),
                MiningJson.Dfg));
        api.MapGet("/mine/variants", async (int? top, bool? includeSide, Application.Mining.MiningService mining, CancellationToken ct) =>
            top is <= 0 ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "the request failed", detail: $"top: {top} is not a positive number of variants")
                : Answer(await mining.VariantsAsync(new Application.Mining.MiningRequest(IncludeSide: includeSide ?? false), ct), m => MiningJson.Variants(m, top ?? int.MaxValue)));

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

        // Events as they happen: a JSON array of events or JSON Lines, mapped and validated as a file is, stored in one
        // transaction (events already stored are skipped, so a retried request stores nothing twice), followed up by the
        // worker (node-change notices, routing, SPC) as soon as it is stored.
        api.MapPost("/events", async (HttpRequest request, IngestService ingest, FollowUpRunner followUp, TimeProvider time, CancellationToken ct) =>
        {
            var (file, problem) = await PostedFileAsync(request, settings, time, ct);
            if (file is null)
                return problem!;
            var inboxMapping = Path.Combine(Path.GetFullPath(settings.Inbox), "mapping.json");
            Storage.Ingestion.ColumnMapping? mapping;
            try
            {
                mapping = File.Exists(inboxMapping) ? Storage.Ingestion.ColumnMapping.Load(inboxMapping) : null;
            }
            catch (InvalidDataException ex)
            {
                return Results.Problem(statusCode: 500, title: "the inbox's mapping.json cannot be read", detail: ex.Message);
            }
            Storage.Ingestion.FileImportResult result;
            using (SharedStore.Doing("loading events posted to the API"))
                result = await ingest.LoadPostedAsync(file, mapping, settings.MaxBadRowRatio, settings.Limits, ct);
            if (result.Status == Storage.Ingestion.ImportStatus.Rejected)
            {
                File.Move(file, file + ".rejected", overwrite: true);
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "the events were not stored", detail: result.Reason);
            }
            if (result.Status == Storage.Ingestion.ImportStatus.Loaded)
                followUp.Wake();
            var duplicate = result.Status == Storage.Ingestion.ImportStatus.SkippedDuplicate;
            long events = result.RowsRead;
            if (duplicate)
            {
                // The same body was stored before (its file is kept from then): every event in it is a duplicate.
                events = File.ReadLines(file).Count(l => l.Trim().Length > 0);
                File.Delete(file);
            }
            return Results.Ok(new
            {
                status = ImportStatusName.Of(result.Status),
                stored = result.Events,
                duplicates = duplicate ? events : result.Overlapping,
                quarantined = result.Quarantined,
                cases = result.Cases,
                reason = result.Reason,
            });
        });

        // How long an open case will still take, and its chance of breaching the SLA (the model learnt from the ended cases).
        api.MapGet("/cases/{id}/prediction", async (string id, PredictionService predictions, CancellationToken ct) =>
            Answer(await predictions.PredictAsync(id, ct), p => new
            {
                caseId = p.CaseId, asOf = p.AsOfUtc, lastActivity = p.LastActivity, elapsedHours = p.ElapsedHours, inNodeHours = p.InNodeHours,
                remainingHours = new { median = p.Remaining.MedianHours, low90 = p.Remaining.LowHours, high90 = p.Remaining.HighHours },
                slaHours = p.SlaHours, breachProbability = p.BreachProbability,
            }));

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

    /// <summary>
    /// The body of <c>POST /api/events</c> written as a JSON Lines file under <c>Analytics:Posted</c> (a JSON array is
    /// written one element per line), or the problem: 413 above <c>Analytics:MaxPostBytes</c>, 415 for another type,
    /// 400 for a body that is not JSON or holds something other than objects.
    /// </summary>
    private static async Task<(string? Path, IResult? Problem)> PostedFileAsync(HttpRequest request, AnalyticsSettings settings, TimeProvider time, CancellationToken ct)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var lines = type is "application/x-ndjson" or "application/jsonl" or "application/json-lines" or "application/jsonlines";
        if (!lines && type != "application/json")
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "send events as JSON",
                detail: $"Content-Type '{request.ContentType}': application/json for an array of events, application/x-ndjson for JSON Lines"));
        if (request.ContentLength > settings.MaxPostBytes)
            return (null, TooLarge(settings));
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > settings.MaxPostBytes)
                return (null, TooLarge(settings));
        }
        if (body.Length == 0)
            return (null, Results.Problem(statusCode: 400, title: "no events", detail: "the body is empty: send a JSON array of events or JSON Lines"));
        var now = time.GetUtcNow().UtcDateTime;
        var folder = Path.Combine(Path.GetFullPath(settings.Posted), now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{now:HHmmss.fffffff}-{Guid.NewGuid():N}.jsonl");
        if (lines)
        {
            await File.WriteAllBytesAsync(path, body.ToArray(), ct);
            return (path, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                return (null, Results.Problem(statusCode: 400, title: "not an array of events", detail: $"the body is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}: send [ {{\"case_id\": …, \"activity\": …, \"timestamp\": …}}, … ]"));
            var text = new System.Text.StringBuilder();
            var index = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object)
                    return (null, Results.Problem(statusCode: 400, title: "not an array of events", detail: $"element {index} is a JSON {e.ValueKind.ToString().ToLowerInvariant()}, not an event object"));
                text.Append(e.GetRawText().Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal)).Append('\n');
                index++;
            }
            if (index == 0)
                return (null, Results.Problem(statusCode: 400, title: "no events", detail: "the array is empty"));
            await File.WriteAllTextAsync(path, text.ToString(), ct);
            return (path, null);
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: 400, title: "the body is not JSON", detail: ex.Message));
        }
    }

    private static IResult TooLarge(AnalyticsSettings settings) => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "too many events in one request",
        detail: $"the body is larger than Analytics:MaxPostBytes ({settings.MaxPostBytes:N0} bytes): send the events in smaller batches, or drop the file in the inbox");

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
