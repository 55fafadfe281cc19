namespace Analytics.Application;

/// <summary>What kind of expected failure a use case met; adapters map it to an exit code or an HTTP status.</summary>
public enum ProblemKind
{
    /// <summary>The request is malformed or names something that does not fit (exit 2, HTTP 400).</summary>
    Invalid,

    /// <summary>What the request needs is not there: no active model, no such case (exit 1, HTTP 404).</summary>
    NotFound,

    /// <summary>The store cannot be opened: held by another process, missing, or not a database (exit 3, HTTP 503).</summary>
    Unavailable,

    /// <summary>The work ran and part of it failed, e.g. a file was rejected (exit 1, HTTP 422).</summary>
    Failed,
}

/// <summary>An expected failure, in words that name the problem and how to fix it.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Message">What went wrong and what to do.</param>
public sealed record Problem(ProblemKind Kind, string Message);

/// <summary>The outcome of a use case: a value, or a <see cref="Problem"/>; with notes on the defaults it used.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed record Result<T>
{
    internal Result(T? value, Problem? problem, IReadOnlyList<string> notes)
    {
        Value = value;
        Problem = problem;
        Notes = notes;
    }

    /// <summary>The value; meaningful only when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, or null.</summary>
    public Problem? Problem { get; }

    /// <summary>Sentences for the person: which defaults were used and how to change them.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Whether there is a value.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>The same outcome with more notes.</summary>
    public Result<T> WithNotes(IEnumerable<string> more) => new(Value, Problem, Notes.Concat(more).Distinct().ToList());
}

/// <summary>Makes results.</summary>
public static class Result
{
    /// <summary>A value.</summary>
    public static Result<T> Ok<T>(T value, IReadOnlyList<string>? notes = null) => new(value, null, notes ?? []);

    /// <summary>A failure.</summary>
    public static Result<T> Fail<T>(ProblemKind kind, string message, IReadOnlyList<string>? notes = null) => new(default, new Problem(kind, message), notes ?? []);
}
