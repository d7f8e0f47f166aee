using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NeuralNet.Data;

/// <summary>Why a path cannot be read as a file.</summary>
internal enum FileProblem
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A folder is there.</summary>
    Folder,

    /// <summary>A device, named pipe or socket is there: opening a pipe waits, without end, for something to write into it.</summary>
    NotRegularFile,
}

/// <summary>
/// The file-system safety every file format shares (model files, CSV, IDX): a path is checked before it is opened
/// for reading (a folder, a missing file and a device, pipe or socket are refused, the pipe before it can block) and
/// before anything is written to it, and a file is written so that a crash mid-way never leaves half of it in place of
/// the previous one. Each format says what went wrong in its own words and throws its own exception, through the
/// factory it passes in.
/// </summary>
/// <remarks>
/// Writing replaces the file by a new one under the same name (write beside it, rename over it). The new file gets the
/// previous one's permissions (a 0600 file stays 0600), but it is a new file: other hard links to the previous one keep
/// the old contents. A file the user cannot write is refused, as <c>cp</c> would refuse it, although the rename alone
/// could replace it.
/// </remarks>
internal static class SafeFile
{
    /// <summary>
    /// Refuses, without opening it, a path that cannot be read as a file: <paramref name="refuse"/> gets the problem and
    /// the path made full, and returns the exception to throw.
    /// </summary>
    public static void CheckReadable(string path, Func<FileProblem, string, Exception> refuse)
    {
        string full = FullPath(path);
        if (Directory.Exists(path)) throw refuse(FileProblem.Folder, full);
        if (!File.Exists(path)) throw refuse(FileProblem.Missing, full);
        if (!IsRegularFile(full)) throw refuse(FileProblem.NotRegularFile, full);
    }

    /// <summary>
    /// As <see cref="CheckReadable(string, Func{FileProblem, string, Exception})"/>, in the data loaders' words (the
    /// exception names the file): <paramref name="wanted"/> is what to give instead, e.g. "the .csv file".
    /// <paramref name="error"/> makes the exception from the message and, for a missing file, a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static void CheckReadable(string path, string wanted, Func<string, Exception?, Exception> error) =>
        CheckReadable(path, (problem, full) => problem switch
        {
            FileProblem.Folder => error($"this is a folder, not a file ({full}). Give the path of {wanted} inside it.", null),
            FileProblem.Missing => error(
                $"file not found (looked for {full}; the current directory is {Directory.GetCurrentDirectory()}). Check the name and the folder.",
                new FileNotFoundException($"Could not find file '{full}'.", full)),
            _ => error($"this is not a regular file but a device, pipe or socket ({full}); it is refused unread, as reading a pipe would wait without end for a writer. Give the path of {wanted}.", null),
        });

    /// <summary>
    /// Checks, before any work, that a file can be written at <paramref name="path"/>: not a folder, not a device, pipe
    /// or socket, not a file the user cannot write, its folder creatable and writable. A symbolic link is followed: the
    /// file it points to is what will be replaced. Returns the full path to write.
    /// </summary>
    /// <remarks>
    /// An existing file is opened for writing (and closed, unchanged) to learn whether the user may write it: the
    /// system's own answer, so root, who may write any file as <c>cp</c> does, is refused only a file nobody can write
    /// (an immutable one).
    /// </remarks>
    /// <param name="path">The path as given.</param>
    /// <param name="subject">How the messages name the path: the path itself; null when the format's exception already names it (the messages then say "this").</param>
    /// <param name="example">A file name to suggest inside a folder, e.g. "model.json".</param>
    /// <param name="wanted">What to give instead of a device, e.g. "a .json file".</param>
    /// <param name="error">Makes the format's exception from a message and the underlying error.</param>
    public static string CheckWritable(string path, string? subject, string example, string wanted, Func<string, Exception?, Exception> error)
    {
        string full;
        string it = subject ?? "this";
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw error($"{it} is not a valid file path ({e.Message}).", e);
        }
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
            throw error($"{it} is a folder ({full}), not a file; give a file name, e.g. {Path.Combine(path, example)}.", null);
        var link = new FileInfo(full);
        if (link.LinkTarget is not null)
        {
            FileSystemInfo? target;
            try { target = link.ResolveLinkTarget(returnFinalTarget: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw error($"{it} is a symbolic link that cannot be followed ({e.Message.TrimEnd('.')}); remove it or give another path.", e);
            }
            full = target?.FullName ?? throw error($"{it} is a symbolic link that cannot be followed; remove it or give another path.", null);
            if (Directory.Exists(full))
                throw error($"{it} is a symbolic link to the folder {full}, not to a file; give a file name.", null);
        }
        if (File.Exists(full) && !IsRegularFile(full))
            throw error(
                $"{it} is not a regular file ({(full != Path.GetFullPath(path) ? $"it leads to {full}, " : "")}a device, pipe or socket); saving would replace it. Give the path of {wanted}.", null);
        if (File.Exists(full))
        {
            try
            {
                using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1)) { }
            }
            catch (UnauthorizedAccessException e)
            {
                throw error(OperatingSystem.IsWindows()
                    ? $"{it} is read-only (permission denied); clear its read-only attribute or give another path."
                    : Environment.IsPrivilegedProcess
                    ? $"{it} cannot be written, not even by root (permission denied; is it immutable? lsattr shows it); give another path."
                    : $"{it} is read-only (permission denied); make it writable (chmod u+w) or give another path.", e);
            }
            catch (IOException e)
            {
                throw error($"{it} cannot be written ({e.Message}); give another path.", e);
            }
        }
        string saving = subject is null ? "" : $"cannot save to {full}: ";
        string directory = Path.GetDirectoryName(full)!;
        string? existing = directory;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw error($"{saving}{existing} is a file, so the folder {directory} cannot be created.", null);
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is not null)
        {
            string probe = Path.Combine(existing, $".neuralnet-write-check.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw error($"{saving}the folder {existing} is not writable ({Reason(e, probe, existing)}).", e);
            }
        }
        return full;
    }

    /// <summary>
    /// Writes the file <paramref name="full"/> (a path <see cref="CheckWritable"/> returned) under a temporary name beside
    /// it, flushes it to disk and renames it over the target, so a crash, Ctrl+C or kill mid-way leaves the previous file
    /// as it was. The temporary file is removed on every failure, and those left by killed writes to the same path are
    /// removed first. Its folder is created if needed. On Unix the new file gets the previous file's permissions (the
    /// temporary file is created with them, so a private file is never readable by others, even mid-way); it is a new
    /// file, so other hard links to the previous one keep the old contents.
    /// </summary>
    /// <param name="full">The file to write.</param>
    /// <param name="contents">What to write (a span may be given: it is passed on, not captured).</param>
    /// <param name="write">Writes the contents into the stream (and leaves it open).</param>
    /// <param name="failed">
    /// Makes the format's exception for an I/O error while writing, from the reason (in words that name
    /// <paramref name="full"/>, never the temporary file) and the error; the previous file is then unchanged.
    /// </param>
    public static void WriteAtomically<T>(string full, T contents, Action<Stream, T> write, Func<string, Exception, Exception> failed)
        where T : allows ref struct
    {
        string directory = Path.GetDirectoryName(full)!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            RemoveStaleTemporaries(full);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows() && File.Exists(full))
            {
                mode = File.GetUnixFileMode(full);
                options.UnixCreateMode = mode;
            }
            using (var stream = new FileStream(temporary, options))
            {
                write(stream, contents);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && mode is UnixFileMode previous)
                File.SetUnixFileMode(temporary, previous);   // the bits the umask took from the created file
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw failed(Reason(e, temporary, full) + ".", e);
        }
        finally
        {
            try { if (File.Exists(temporary)) File.Delete(temporary); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the write's own error matters more */ }
        }
    }

    /// <summary>
    /// What went wrong, for a student: "permission denied" rather than .NET's sentence naming the internal file
    /// <paramref name="internalPath"/>, which any other message shows as <paramref name="shown"/>. No final period.
    /// </summary>
    private static string Reason(Exception e, string internalPath, string shown) =>
        e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(internalPath, shown, StringComparison.Ordinal).TrimEnd('.');

    /// <summary>The path made full for a message, or as given when it is not a valid path.</summary>
    public static string FullPath(string path)
    {
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return path; }
    }

    /// <summary>True for an ordinary file; false for a character or block device, a pipe or a socket.</summary>
    public static bool IsRegularFile(string full)
    {
        if (OperatingSystem.IsWindows()) return File.Exists(full);
        if (ShimWorks.Value && StatMode(full) is int mode) return (mode & 0xF000) == 0x8000;
        return File.Exists(full) && !full.StartsWith("/dev/", StringComparison.Ordinal);
    }

    /// <summary>Removes temporary files of earlier writes to <paramref name="full"/> whose process has ended (a kill mid-write leaves them).</summary>
    private static void RemoveStaleTemporaries(string full)
    {
        string directory = Path.GetDirectoryName(full)!, name = Path.GetFileName(full);
        string[] candidates;
        try { candidates = Directory.GetFiles(directory, $".{name}.*.tmp"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string candidate in candidates)
        {
            string[] parts = Path.GetFileName(candidate)[(name.Length + 2)..^4].Split('.');   // "<pid>", "<guid>"
            if (parts is not [var id, { Length: 32 }] || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(candidate); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { return false; }
    }

    // The shim's layout is checked once on files whose type is known, so a change in it can never make every check fail.
    private static readonly Lazy<bool> ShimWorks = new(() =>
    {
        string self = typeof(SafeFile).Assembly.Location;
        return !string.IsNullOrEmpty(self) && StatMode(self) is int file && (file & 0xF000) == 0x8000
            && StatMode("/dev/null") is int device && (device & 0xF000) == 0x2000;
    });

    /// <summary>The file's st_mode (type and permission bits) from .NET's own native shim, or null when it cannot tell.</summary>
    private static int? StatMode(string full)
    {
        try
        {
            // .NET's System.Native reports the file type in its FileStatus (Mode at offset 4, S_IFMT bits);
            // the public API does not expose it.
            var status = new byte[256];
            return SystemNativeStat(full, status) == 0 ? BitConverter.ToInt32(status, 4) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
