namespace Analytics.Application;

/// <summary>
/// Raised inside a use case when a request cannot be carried out; the use case's boundary (<see cref="UseCase"/>) turns
/// it into a <see cref="Problem"/>, so callers only ever see values.
/// </summary>
internal sealed class RequestException : Exception
{
    public RequestException() : this(ProblemKind.Invalid, "invalid request") { }

    public RequestException(string message) : this(ProblemKind.Invalid, message) { }

    public RequestException(string message, Exception innerException) : base(message, innerException) => Kind = ProblemKind.Invalid;

    public RequestException(ProblemKind kind, string message) : base(message) => Kind = kind;

    public ProblemKind Kind { get; }

    public static RequestException Invalid(string message) => new(ProblemKind.Invalid, message);

    public static RequestException NotFound(string message) => new(ProblemKind.NotFound, message);
}
