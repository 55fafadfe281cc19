using System.Text.Json;
using Analytics.Worker.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The HTTP API, bound to 127.0.0.1 by default. Every endpoint but <c>/api/health</c> needs the API key in the
/// <c>X-Api-Key</c> header; without a configured key the API answers 401 to everything (and the worker says so at start).
/// Errors are RFC 7807 problem documents.
/// </summary>
internal static class ApiEndpoints
{
    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> RequireKey(AnalyticsSettings settings) => async (context, next) =>
    {
        var key = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(settings.ApiKey) || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(settings.ApiKey)))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "missing or wrong API key",
                detail: "send the key configured as Analytics:ApiKey in the X-Api-Key header");
        return await next(context);
    };

    public static void Map(WebApplication app, AnalyticsSettings settings)
    {
        app.MapGet("/api/health", (StoreGate gate, RoutingService routing) => Results.Ok(new { status = "ok", database = gate.Path, modelVersion = routing.ModelVersion }));

        var api = app.MapGroup("/api").AddEndpointFilter(RequireKey(settings));

        api.MapGet("/stats", async (StoreGate gate, CancellationToken ct) =>
        {
            var s = await gate.RunAsync(store => store.Statistics(), ct);
            return Results.Ok(new { cases = s.Cases, events = s.Events, activities = s.Activities, quarantined = s.Quarantined, files = s.Files });
        });

        // The weekly report of an ISO week: the page by default, ?format=json or ?format=md for the others.
        app.MapGet("/reports/{week}", async (string week, string? format, string? lang, StoreGate gate, CancellationToken ct) =>
        {
            var folder = Path.Combine(Path.GetTempPath(), "analytics-report-" + Guid.NewGuid().ToString("N"));
            try
            {
                var paths = await gate.RunAsync(store => ReportVerb.Write(store, week, folder, lang is "zh-CN" ? "zh-CN" : "en",
                    Core.Calendars.BuiltInCalendars.CnShanghai, 40), ct);
                var (path, type) = format switch
                {
                    "json" => (paths[0], "application/json"),
                    "md" => (paths[1], "text/markdown; charset=utf-8"),
                    _ => (paths[2], "text/html; charset=utf-8"),
                };
                return Results.Text(await File.ReadAllTextAsync(path, ct), type);
            }
            catch (UsageException ex)
            {
                return Results.Problem(statusCode: 400, title: "not a report week", detail: ex.Message);
            }
            finally
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
            }
        }).AddEndpointFilter(RequireKey(settings));

        // A what-if run: the body is a scenario with the run's options; the store is held only while the cases are read.
        api.MapPost("/whatif", async (HttpRequest request, StoreGate gate, CancellationToken ct) =>
        {
            var (body, problem) = await ReadJsonAsync(request, ct);
            if (body is null)
                return problem!;
            using (body)
            {
                try
                {
                    var (whatIf, scenario) = WhatIfRequest.FromJson(body.RootElement);
                    var input = await gate.RunAsync(store => whatIf.Load(store, scenario, ct), ct);
                    var document = await Task.Run(() => whatIf.Analyse(input, ct), ct);
                    return Results.Json(document.ToJson(), JsonOutput.Options);
                }
                catch (UsageException ex)
                {
                    return Results.Problem(statusCode: 400, title: "not a valid what-if request", detail: ex.Message);
                }
            }
        });

        api.MapGet("/outbox", async (StoreGate gate, CancellationToken ct) =>
        {
            var (delivered, waiting) = await gate.RunAsync(store => new Storage.Notifications.Outbox(store).Counts(), ct);
            return Results.Ok(new { delivered, waiting });
        });

        api.MapPost("/routing/suggestions", async (HttpRequest request, RoutingService routing, CancellationToken ct) =>
        {
            var (body, problem) = await ReadJsonAsync(request, ct);
            if (body is null)
                return problem!;
            using (body)
            {
                Core.Routing.DecisionCase order;
                try
                {
                    order = OrderJson.Parse(body.RootElement, routing.Now);
                }
                catch (FormatException ex)
                {
                    return Results.Problem(statusCode: 400, title: "not a valid order", detail: ex.Message);
                }
                var suggestion = routing.Suggest(order);
                return suggestion is null
                    ? Results.Problem(statusCode: 503, title: "no active model", detail: "train one with: analytics train --config FILE")
                    : Results.Json(suggestion, JsonOutput.Options);
            }
        });
    }

    /// <summary>The request body as JSON, or a 400 problem saying why it is not.</summary>
    private static async Task<(JsonDocument? Body, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
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
