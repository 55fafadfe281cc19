namespace Analytics.Core.Routing;

/// <summary>FNV-1a over a string's UTF-16 code units: the same on every run and platform, unlike <see cref="string.GetHashCode()"/>.</summary>
public static class StableHash
{
    /// <summary>The 32-bit hash.</summary>
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var ch in text)
            hash = (hash ^ ch) * 16777619u;
        return hash;
    }

    /// <summary>The fold, 0 to <paramref name="folds"/> − 1, a case falls in.</summary>
    public static int Fold(string caseId, int folds) => (int)(Of(caseId) % (uint)folds);
}
