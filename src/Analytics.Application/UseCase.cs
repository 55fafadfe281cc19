using Analytics.Storage;

namespace Analytics.Application;

/// <summary>The one boundary where a use case's expected failures become values.</summary>
internal static class UseCase
{
    /// <summary>Runs the work; a <see cref="RequestException"/>, a <see cref="FormatException"/> of a file or setting, or an unavailable store become a <see cref="Problem"/>.</summary>
    public static async Task<Result<T>> RunAsync<T>(Func<Task<T>> work, IReadOnlyList<string>? notes = null)
    {
        try
        {
            return Result.Ok(await work(), notes);
        }
        catch (RequestException ex)
        {
            return Result.Fail<T>(ex.Kind, ex.Message, notes);
        }
        catch (StoreUnavailableException ex)
        {
            return Result.Fail<T>(ProblemKind.Unavailable, ex.Message, notes);
        }
    }

    /// <summary>Runs synchronous work at the boundary.</summary>
    public static Task<Result<T>> RunAsync<T>(Func<T> work, IReadOnlyList<string>? notes = null) => RunAsync(() => Task.FromResult(work()), notes);
}
