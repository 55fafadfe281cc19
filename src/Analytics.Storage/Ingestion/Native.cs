using System.Runtime.InteropServices;

namespace Analytics.Storage.Ingestion;

/// <summary>The file type from the operating system (stat's <c>st_mode</c>), which .NET does not expose.</summary>
internal static partial class Native
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

    /// <summary>Whether the path (links followed) is a regular file; true where the type cannot be asked (then nothing is refused for it).</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
            return true;
        // st_mode's offset in struct stat: 24 on x86-64 (after st_dev, st_ino, st_nlink), 16 on arm64.
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0)
            return true;
        var buffer = new byte[256];
        try
        {
            if (Stat(path, buffer) != 0)
                return true; // the open that follows reports what is wrong
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
        return (BitConverter.ToUInt32(buffer, offset) & TypeMask) == Regular;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte[] buffer);
}
