using System.Diagnostics;
using System.Runtime.Versioning;
using NeuralNet.Data;
using NeuralNet.Tests.Data;

namespace NeuralNet.Tests.Cli;

/// <summary>
/// predict's own files go through the library's one file safety (<see cref="SafeFile"/>): its data is checked before it
/// is opened (a pipe is refused, not waited on), and its predictions are written as models are saved; and a user who
/// cannot write a file is refused it, by every command.
/// </summary>
public sealed class CliFileSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string TrainMoons()
    {
        string model = _temp.File("moons.json");
        var r = CliRunner.Run("train", "--data", "moons", "--samples", "100", "--hidden-layers", "4", "--epochs", "2", "--no-chart", "--out", model);
        Assert.True(r.ExitCode == 0, r.ToString());
        return model;
    }

    [UnixFact]
    public async Task Predict_refuses_a_pipe_as_data_at_once_instead_of_waiting_for_a_writer()
    {
        string model = TrainMoons();
        string fifo = _temp.File("rows.csv");
        Assert.True(Shell.Run("mkfifo", fifo));
        var predict = Task.Run(() => CliRunner.Run("predict", model, "--data", fifo));
        if (await Task.WhenAny(predict, Task.Delay(TimeSpan.FromSeconds(30))) != predict)
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }   // lets the blocked reader go
            Assert.Fail("predict waited on the pipe for a writer instead of refusing it");
        }
        var r = await predict;
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {fifo}: this is not a regular file but a device, pipe or socket ({fifo}); it is refused unread, as reading a pipe would wait without end for a writer. Give the path of a .csv file or an IDX images file.",
            r.Error.Trim());
        Assert.False(SafeFile.IsRegularFile(fifo));   // still the pipe
    }

    [Fact]
    public void Predict_out_in_folders_that_do_not_exist_creates_them_as_train_does()
    {
        string model = TrainMoons();
        string rows = _temp.WriteText("new.csv", "0.5,0.25\n-1,0.75\n");
        string output = _temp.File(Path.Combine("t", "newdir", "sub", "p.csv"));
        var r = CliRunner.Run("predict", model, "--data", rows, "--out", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"Predictions: {output}", r.Output);
        Assert.Equal(3, File.ReadAllLines(output).Length);   // the header and two rows
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }

    [Fact]
    public void Predict_out_as_a_folder_suggests_a_csv_file_not_a_model()
    {
        string model = TrainMoons();
        string rows = _temp.WriteText("new.csv", "0.5,0.25\n");
        string folder = Directory.CreateDirectory(_temp.File("out")).FullName;
        var r = CliRunner.Run("predict", model, "--data", rows, "--out", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: --out {folder}: {folder} is a folder ({folder}), not a file; give a file name, e.g. {Path.Combine(folder, "predictions.csv")}.", r.Error);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Predict_keeps_the_permissions_of_the_predictions_file_it_replaces()
    {
        string model = TrainMoons();
        string rows = _temp.WriteText("new.csv", "0.5,0.25\n");
        string output = _temp.WriteText("private.csv", "old");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var r = CliRunner.Run("predict", model, "--data", rows, "--out", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("row,class", File.ReadAllText(output));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
    }

    private static (int ExitCode, string Error) RunAsOtherUser(params string[] arguments)
    {
        var start = OtherUserFactAttribute.Start(arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        output.Wait();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    [OtherUserFact]
    [UnsupportedOSPlatform("windows")]
    public void A_read_only_file_is_refused_to_a_user_who_cannot_write_it_and_stays_as_it_was()
    {
        string model = TrainMoons();
        string rows = _temp.WriteText("new.csv", "0.5,0.25\n");
        // The user's own folder, writable, so only the file's mode can stop the replacing rename.
        string folder = Directory.CreateDirectory(_temp.File("mine")).FullName;
        string predictions = Path.Combine(folder, "predictions.csv"), saved = Path.Combine(folder, "model.json");
        File.WriteAllText(predictions, "keep me");
        File.Copy(model, saved);
        var readOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(predictions, readOnly);
        File.SetUnixFileMode(saved, readOnly);
        if (Environment.IsPrivilegedProcess)
            Assert.True(Shell.Run("chown", "-R", $"{OtherUserFactAttribute.Nobody}:{OtherUserFactAttribute.Nobody}", folder));
        byte[] before = File.ReadAllBytes(saved);

        var (code, error) = RunAsOtherUser("predict", model, "--data", rows, "--out", predictions);
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.StartsWith($"error: --out {predictions}: {predictions} is read-only (permission denied); make it writable (chmod u+w) or give another path.", error);
        Assert.Equal("keep me", File.ReadAllText(predictions));

        (code, error) = RunAsOtherUser("train", "--data", "moons", "--samples", "50", "--epochs", "1", "--no-chart", "--out", saved);
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.StartsWith($"error: --out {saved}: {saved} is read-only (permission denied); make it writable (chmod u+w) or give another path.", error);
        Assert.Equal(before, File.ReadAllBytes(saved));
        Assert.Equal(readOnly, File.GetUnixFileMode(saved));
        Assert.Equal(["model.json", "predictions.csv"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }
}
