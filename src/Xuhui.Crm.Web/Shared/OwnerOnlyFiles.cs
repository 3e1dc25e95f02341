using System.Runtime.InteropServices;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// Everything the service writes (database and its journals, backups, outbox files, generated secrets) is readable by
/// the service's own user only: on Unix a umask of 077 for every file the process creates, explicit modes on the
/// files that matter most, and a sweep of the data directory at start so an older install is tightened too.
/// </summary>
public static partial class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);

    /// <summary>New files 0600 and directories 0700 from here on, whoever creates them (SQLite, MailKit, our code).</summary>
    public static void RestrictProcessUmask()
    {
        if (!OperatingSystem.IsWindows())
        {
            // The previous mask is of no use: the service never goes back to it.
            _ = SetUmask(0x3F); // 077
        }
    }

    /// <summary>Creates <paramref name="path"/> if needed and makes it 0700.</summary>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, DirectoryMode);
        }
    }

    /// <summary>Makes an existing file 0600 (when it exists).</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>
    /// Takes the group and other bits off <paramref name="directory"/> and everything under it (the owner's bits stay,
    /// so nothing the owner could use stops working). Links are not followed. Entries the process cannot change are
    /// logged, not fatal: the service still runs on a directory someone else prepared.
    /// </summary>
    public static void Tighten(string directory, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        var root = new DirectoryInfo(directory);
        TightenEntry(root, logger);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var entry in root.EnumerateFileSystemInfos("*", options))
        {
            TightenEntry(entry, logger);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TightenEntry(FileSystemInfo entry, ILogger logger)
    {
        try
        {
            var mode = entry.UnixFileMode;
            if ((mode & GroupAndOther) != 0)
            {
                entry.UnixFileMode = mode & ~GroupAndOther;
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            logger.LogWarning("Could not restrict {Path} to its owner: {Error}", entry.FullName, ex.Message);
        }
    }
}
