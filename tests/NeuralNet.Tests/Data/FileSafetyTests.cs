using System.Diagnostics;
using System.Runtime.Versioning;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The file-system safety every format shares (<see cref="SafeFile"/>): CSV and IDX refuse a pipe before opening it, as
/// model files do, and IDX files are written as model files are saved: atomically, never over a folder or a device.
/// </summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Fifo(string name)
    {
        string fifo = _temp.File(name);
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        Assert.False(SafeFile.IsRegularFile(fifo));
        return fifo;
    }

    /// <summary>Runs <paramref name="read"/> on a pipe; fails after a bounded wait (freeing the blocked reader) instead of hanging the suite.</summary>
    private static async Task<DataFormatException> RefusedAtOnce(string fifo, string what, Action read)
    {
        var task = Task.Run(read);
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30))) != task)
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }   // lets the blocked reader go
            Assert.Fail($"{what} waited on the pipe for a writer instead of refusing it");
        }
        return await Assert.ThrowsAsync<DataFormatException>(() => task);
    }

    [UnixFact]
    public async Task Csv_Load_refuses_a_pipe_at_once_naming_it()
    {
        string fifo = Fifo("rows.csv");
        var e = await RefusedAtOnce(fifo, "Csv.Load", () => Csv.Load(fifo));
        Assert.Equal(fifo, e.FilePath);
        Assert.Equal($"{fifo}: this is not a regular file but a device, pipe or socket ({fifo}); it is refused unread, as reading a pipe would wait without end for a writer. Give the path of the .csv file.", e.Message);
    }

    [UnixFact]
    public async Task Csv_LoadFeatures_refuses_a_pipe_at_once_naming_it()
    {
        string fifo = Fifo("new-rows.csv");
        var e = await RefusedAtOnce(fifo, "Csv.LoadFeatures", () => Csv.LoadFeatures(fifo, 2));
        Assert.StartsWith($"{fifo}: this is not a regular file", e.Message);
        Assert.Contains("Give the path of the .csv file.", e.Message);
    }

    [UnixFact]
    public async Task Idx_Read_refuses_a_pipe_at_once_naming_it()
    {
        string fifo = Fifo("images-idx3-ubyte");
        var e = await RefusedAtOnce(fifo, "Idx.Read", () => Idx.Read(fifo));
        Assert.StartsWith($"{fifo}: this is not a regular file", e.Message);
        Assert.Contains("Give the path of the IDX file.", e.Message);
        e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(fifo, fifo));
        Assert.StartsWith($"{fifo}: this is not a regular file", e.Message);
    }

    [UnixFact]
    public void A_device_is_refused_by_both_readers_without_reading_it()
    {
        Assert.Contains("not a regular file", Assert.Throws<DataFormatException>(() => Csv.Load("/dev/zero")).Message);
        Assert.Contains("not a regular file", Assert.Throws<DataFormatException>(() => Idx.Read("/dev/zero")).Message);
    }

    [Fact]
    public void Missing_files_and_folders_get_the_same_words_from_every_data_reader()
    {
        string missing = _temp.File("nothing.csv");
        foreach (var read in new Action[] { () => Csv.Load(missing), () => Csv.LoadFeatures(missing, 2), () => Idx.Read(missing) })
        {
            var e = Assert.Throws<DataFormatException>(read);
            Assert.Equal($"{missing}: file not found (looked for {missing}; the current directory is {Directory.GetCurrentDirectory()}). Check the name and the folder.", e.Message);
            Assert.Equal($"Could not find file '{missing}'.", Assert.IsType<FileNotFoundException>(e.InnerException).Message);
        }
        Assert.Equal($"{_temp.Path}: this is a folder, not a file ({_temp.Path}). Give the path of the .csv file inside it.",
            Assert.Throws<DataFormatException>(() => Csv.LoadFeatures(_temp.Path, 2)).Message);
        Assert.Equal($"{_temp.Path}: this is a folder, not a file ({_temp.Path}). Give the path of the IDX file inside it.",
            Assert.Throws<DataFormatException>(() => Idx.Read(_temp.Path)).Message);
    }

    [UnixFact]
    public async Task Idx_Write_to_a_pipe_is_refused_at_once_and_the_pipe_stays()
    {
        string fifo = Fifo("labels-idx1-ubyte");
        var write = Task.Run(() => Idx.Write(fifo, [3], [1, 2, 3], gzip: false));
        if (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30))) != write)
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Read)) { }   // lets the blocked writer go
            Assert.Fail("Idx.Write waited on the pipe for a reader instead of refusing it");
        }
        var e = await Assert.ThrowsAsync<DataFormatException>(() => write);
        Assert.Equal($"{fifo}: this is not a regular file (a device, pipe or socket); saving would replace it. Give the path of an IDX file.", e.Message);
        Assert.False(SafeFile.IsRegularFile(fifo));   // still the pipe
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void Idx_Write_to_a_folder_names_it_and_writes_nothing()
    {
        string folder = Directory.CreateDirectory(_temp.File("out")).FullName;
        var e = Assert.Throws<DataFormatException>(() => Idx.Write(folder, [2], [7, 8]));
        Assert.Equal($"{folder}: this is a folder ({folder}), not a file; give a file name, e.g. {Path.Combine(folder, "data.idx.gz")}.", e.Message);
        e = Assert.Throws<DataFormatException>(() => Idx.Write(folder, [2], [7, 8], gzip: false));
        Assert.EndsWith($"e.g. {Path.Combine(folder, "data.idx")}.", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [FailingWriteFact]
    [UnsupportedOSPlatform("windows")]
    public void Idx_Write_that_fails_keeps_the_previous_file_and_leaves_no_temporary_file()
    {
        string path = _temp.File("labels.gz");
        Idx.Write(path, [3], [1, 2, 3]);
        byte[] before = File.ReadAllBytes(path);
        // The write must fail for real: an immutable target (root may write anything else) or, for other users, a folder
        // that is not writable. Either way it is refused before writing, and the previous file must come through whole.
        bool root = Environment.IsPrivilegedProcess;
        if (root) Assert.True(Shell.Run("chattr", "+i", path), "chattr +i failed on the target, although it worked on a probe file");
        if (!root) File.SetUnixFileMode(_temp.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = Assert.Throws<DataFormatException>(() => Idx.Write(path, [4], [9, 9, 9, 9]));
            Assert.Equal(path, e.FilePath);
            Assert.Equal(root
                ? $"{path}: this cannot be written, not even by root (permission denied; is it immutable? lsattr shows it); give another path."
                : $"{path}: the folder {_temp.Path} is not writable (permission denied).", e.Message);
            // Past the check, the rename itself fails and the write says so, naming the file and never its temporary one.
            var failed = Assert.Throws<IOException>(() => SafeFile.WriteAtomically(path, 0, (stream, _) => stream.Write([1, 2]),
                (reason, inner) => new IOException($"could not write {path}: {reason}", inner)));
            Assert.Equal($"could not write {path}: permission denied.", failed.Message);
        }
        finally
        {
            if (root) Shell.Run("chattr", "-i", path);
            else File.SetUnixFileMode(_temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([1, 2, 3], Idx.Read(path).Values);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [FailingWriteFact]
    [UnsupportedOSPlatform("windows")]
    public void A_folder_that_cannot_be_written_is_named_with_permission_denied_not_the_probe_file()
    {
        string folder = Directory.CreateDirectory(_temp.File("locked")).FullName;
        string model = Path.Combine(folder, "m.json"), images = Path.Combine(folder, "old.idx");
        bool root = Environment.IsPrivilegedProcess;
        if (root) Assert.True(Shell.Run("chattr", "+i", folder), "chattr +i failed on the folder, although it worked on a probe file");
        else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Assert.Equal($"cannot save to {model}: the folder {folder} is not writable (permission denied).",
                Assert.Throws<ModelFileException>(() => ModelFile.CheckWritable(model)).Message);
            Assert.Equal($"{images}: the folder {folder} is not writable (permission denied).",   // the exception names the file once
                Assert.Throws<DataFormatException>(() => Idx.Write(images, [1], [1])).Message);
        }
        finally
        {
            if (root) Shell.Run("chattr", "-i", folder);
            else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_parent_that_is_a_file_is_named_once_by_an_IDX_write()
    {
        string plain = _temp.WriteText("plain", "x"), path = Path.Combine(plain, "sub", "old.idx");
        Assert.Equal($"{path}: {plain} is a file, so the folder {Path.GetDirectoryName(path)} cannot be created.",
            Assert.Throws<DataFormatException>(() => Idx.Write(path, [1], [1])).Message);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void A_write_keeps_the_permissions_of_the_file_it_replaces()
    {
        var modes = new[]
        {
            UnixFileMode.UserRead | UnixFileMode.UserWrite,                                                   // 0600: private stays private
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, // 0660: bits a umask would clear
        };
        foreach (var mode in modes)
        {
            string images = _temp.File("images.idx"), model = _temp.File("model.json");
            Idx.Write(images, [2], [1, 2], gzip: false);
            ModelFile.Save(new Network([2, 2, 1]), model);
            File.SetUnixFileMode(images, mode);
            File.SetUnixFileMode(model, mode);
            Idx.Write(images, [3], [4, 5, 6], gzip: false);
            ModelFile.Save(new Network([2, 3, 1]), model);
            Assert.Equal([4, 5, 6], Idx.Read(images).Values);
            Assert.Equal([2, 3, 1], ModelFile.Read(model).Network.LayerSizes);
            Assert.Equal(mode, File.GetUnixFileMode(images));
            Assert.Equal(mode, File.GetUnixFileMode(model));
        }
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void A_read_only_file_is_replaced_only_by_root_as_cp_would()
    {
        // Root may write any file (cp overwrites a 0444 file for root), so it is not refused, and the new file keeps the
        // mode; any other user is refused before anything is written (also through the CLI as nobody: CliFileSafetyTests).
        string path = _temp.File("labels.idx");
        Idx.Write(path, [2], [1, 2], gzip: false);
        var readOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(path, readOnly);
        if (Environment.IsPrivilegedProcess)
        {
            Idx.Write(path, [2], [3, 4], gzip: false);
            Assert.Equal([3, 4], Idx.Read(path).Values);
        }
        else
        {
            Assert.Equal($"{path}: this is read-only (permission denied); make it writable (chmod u+w) or give another path.",
                Assert.Throws<DataFormatException>(() => Idx.Write(path, [2], [3, 4], gzip: false)).Message);
            Assert.Equal([1, 2], Idx.Read(path).Values);
        }
        Assert.Equal(readOnly, File.GetUnixFileMode(path));
    }

    [UnixFact]
    public void A_symbolic_link_loop_is_refused_in_the_format_s_words()
    {
        string l1 = _temp.File("l1.idx"), l2 = _temp.File("l2.idx");
        File.CreateSymbolicLink(l1, l2);
        File.CreateSymbolicLink(l2, l1);
        var e = Assert.Throws<DataFormatException>(() => Idx.Write(l1, [1], [1]));
        Assert.StartsWith($"{l1}: this is a symbolic link that cannot be followed (", e.Message);
        Assert.EndsWith("'); remove it or give another path.", e.Message);   // the system's reason, without its period
        Assert.IsType<IOException>(e.InnerException, exactMatch: false);
        var m = Assert.Throws<ModelFileException>(() => ModelFile.CheckWritable(l1));
        Assert.StartsWith($"{l1} is a symbolic link that cannot be followed (", m.Message);
        Assert.Equal([l1, l2], Directory.GetFileSystemEntries(_temp.Path).Order());
    }

    [UnixFact]
    public void Idx_Write_replaces_a_file_whole_and_removes_temporary_files_left_by_a_killed_write()
    {
        string path = _temp.File("images.gz");
        Idx.Write(path, [1, 2], [5, 6]);
        int deadPid;
        using (var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!) { p.WaitForExit(); deadPid = p.Id; }
        string stale = _temp.File($".images.gz.{deadPid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, new byte[4096]);
        Idx.Write(path, [2, 2], [1, 2, 3, 4]);
        Assert.Equal([1, 2, 3, 4], Idx.Read(path).Values);
        Assert.False(File.Exists(stale));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [UnixFact]
    public void Idx_Write_through_a_symbolic_link_writes_its_target_and_keeps_the_link()
    {
        string target = _temp.WriteText("real.idx", "old"), link = _temp.File("link.idx");
        File.CreateSymbolicLink(link, target);
        Idx.Write(link, [2], [7, 8], gzip: false);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal([7, 8], Idx.Read(target).Values);
    }

    [Fact]
    public void A_write_that_fails_midway_keeps_the_previous_file_and_removes_its_temporary_file()
    {
        string path = _temp.WriteText("keep.bin", "the previous contents");
        var e = Assert.Throws<DataFormatException>(() => SafeFile.WriteAtomically(path, 0, (stream, _) =>
        {
            stream.Write(new byte[100_000]);   // half written when the disk fills up
            throw new IOException("No space left on device (simulated).");
        }, (reason, failed) => new DataFormatException(path, null, null, $"could not write: {reason}", failed)));
        Assert.Equal($"{path}: could not write: No space left on device (simulated).", e.Message);   // its reason, with one period
        Assert.Equal("the previous contents", File.ReadAllText(path));
        Assert.Equal(["keep.bin"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }
}
