using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Worker.Hosting;

/// <summary>
/// The API's boundary per request: an error that escapes an endpoint becomes an RFC 7807 problem document whose
/// <c>traceId</c> is also in the log line with the exception, so a caller's report can be matched to its cause. A
/// request Kestrel refuses (a body over the limit, a malformed request) keeps its status with a sentence; a request
/// the client gave up is not an error.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var id = http.TraceIdentifier;
        int status;
        string title, detail;
        switch (exception)
        {
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                logger.LogInformation("Request {TraceId} {Method} {Path} was abandoned by the client", id, http.Request.Method, http.Request.Path);
                return true;
            case Analytics.Application.StoreBusyException busy:
                status = StatusCodes.Status503ServiceUnavailable;
                title = "the store is busy";
                detail = busy.Message;
                http.Response.Headers.RetryAfter = "10";
                logger.LogInformation("Request {TraceId} {Method} {Path} answered 503: {Reason}", id, http.Request.Method, http.Request.Path, busy.Message);
                break;
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                title = status == StatusCodes.Status413PayloadTooLarge ? "the body is too large" : "a malformed request";
                detail = status == StatusCodes.Status413PayloadTooLarge
                    ? $"send at most {WorkerHost.MaxRequestBodyBytes / 1024} KiB: orders and what-if requests are small JSON documents"
                    : bad.Message;
                logger.LogWarning("Request {TraceId} {Method} {Path} refused: {Reason}", id, http.Request.Method, http.Request.Path, bad.Message);
                break;
            default:
                status = StatusCodes.Status500InternalServerError;
                title = "the worker failed on this request";
                detail = $"an unexpected error; the worker's log has it under trace id {id}";
                logger.LogError(exception, "Request {TraceId} {Method} {Path} failed", id, http.Request.Method, http.Request.Path);
                break;
        }
        if (http.Response.HasStarted)
            return true;
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
