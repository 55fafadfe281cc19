using Analytics.Core.Mining;

namespace Analytics.Application;

/// <summary>Reads approval policy files.</summary>
internal static class Policies
{
    public static ApprovalPolicy Load(string path)
    {
        if (Directory.Exists(path))
            throw RequestException.Invalid($"--policy: {path} is a folder; give the policy's JSON file");
        try
        {
            using var stream = File.OpenRead(path);
            return ApprovalPolicy.Parse(stream, path);
        }
        catch (FormatException ex)
        {
            throw RequestException.Invalid(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RequestException.Invalid($"--policy: {path}: {ex.Message}");
        }
    }
}
