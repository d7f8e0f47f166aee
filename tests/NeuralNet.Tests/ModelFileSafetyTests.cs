using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NeuralNet.Data;

namespace NeuralNet.Tests;

/// <summary>
/// Issue 14: a model file is checked before anything is allocated for it, names itself in every error, records its
/// data (format 2, format 1 still read), and saving never loses the previous good file.
/// </summary>
public sealed class ModelFileSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuralnet-model-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FileIn(string name) => Path.Combine(_dir, name);

    private static Network Small() => new([2, 3, 2], hidden: Activations.Tanh, output: Activations.Softmax, cost: Costs.CategoricalCrossEntropy, initialization: Initialization.Xavier(5));

    private static ModelData Record(FeatureScaler? scaling = null) => new()
    {
        Features = 2,
        FeatureNames = ["x", "y"],
        ClassNames = ["no", "yes"],
        Scaling = scaling,
        Source = "/data/points.csv",
        Options = new Dictionary<string, string> { ["seed"] = "7", ["test-fraction"] = "0.25" },
        TrainSamples = 30,
        TestSamples = 10,
    };

    private static (ModelFileException Error, long Allocated) Refused(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_300_byte_file_declaring_a_huge_layer_is_refused_before_allocating_it()
    {
        // Today's loader allocates W (784 × 40000 doubles = 250 MB) before it looks at the rows.
        string path = FileIn("huge.json");
        File.WriteAllText(path, """{"format":"neuralnet-model","version":1,"layerSizes":[784,40000,10],"cost":"binary_cross_entropy","layers":[{"activation":"relu","W":[],"b":[]},{"activation":"sigmoid","W":[],"b":[]}]}""");
        Assert.InRange(new FileInfo(path).Length, 100, 300);
        var (e, allocated) = Refused(path);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path, e.Message);
        Assert.Contains("need 31,800,010 numbers, but the file is only", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(new[] { "no" }, "the data record names 1 classes, but the network has 2 output units, one per class, so it needs 2 class names")]
    [InlineData(new[] { "no", "yes", "maybe" }, "the data record names 3 classes, but the network has 2 output units, one per class, so it needs 2 class names")]
    [InlineData(new[] { "yes", "yes" }, "the data record names class 0 and class 1 both 'yes'; each class needs its own name")]
    public void Class_names_that_do_not_fit_the_outputs_are_refused_by_save_and_by_load(string[] names, string problem)
    {
        string path = FileIn("classes.json");
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(Small(), path, Record() with { ClassNames = names }));
        Assert.StartsWith($"The data record does not fit the network: {problem}.", e.Message);
        ModelFile.Save(Small(), path, Record());
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        root["data"]!["classes"] = new System.Text.Json.Nodes.JsonArray(names.Select(n => (System.Text.Json.Nodes.JsonNode?)n).ToArray());
        File.WriteAllText(path, root.ToJsonString());
        var (error, _) = Refused(path);
        Assert.Equal($"{path}: {problem}. The file was edited by hand or damaged: restore it, or train the model again.", error.Message);
    }


    [Fact]
    public void A_negative_sample_count_is_refused()
    {
        string path = FileIn("counts.json");
        ModelFile.Save(Small(), path, Record());
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"testSamples\": 10", "\"testSamples\": -10", StringComparison.Ordinal));
        Assert.Equal($"{path}: data.testSamples is -10; a number of samples is 0 or more.", Refused(path).Error.Message);
        // No class names fit any network (a model of numbers), two fit one sigmoid unit.
        ModelFile.Save(Small(), path, Record() with { ClassNames = [] });
        Assert.Empty(ModelFile.Read(path).Data!.ClassNames);
        ModelFile.Save(new Network([2, 3, 1]), path, Record());
        Assert.Equal(["no", "yes"], ModelFile.Read(path).Data!.ClassNames);
    }

    [Fact]
    public void A_refusal_writes_its_numbers_the_same_in_every_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");   // 1.234 for 1,234
            string path = FileIn("huge.json");
            File.WriteAllText(path, """{"format":"neuralnet-model","version":1,"layerSizes":[784,40000,10],"cost":"binary_cross_entropy","layers":[]}""");
            var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
            Assert.Contains($"which need 31,800,010 numbers, but the file is only {new FileInfo(path).Length} bytes long", e.Message);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
    }

    [Theory]
    [InlineData("[2,65536,65537,1]", "W2 would be 65,537 × 65,536 = 4,295,032,832 numbers, more than one matrix can hold")]
    [InlineData("[2,46341,46341,1]", "W2 would be 46,341 × 46,341 = 2,147,488,281 numbers, more than one matrix can hold")]
    [InlineData("[20000,20000,20000,20000,2]", "need 1,200,100,002 parameters = 8.9 GiB of memory")]
    public void Layer_sizes_that_overflow_or_exceed_the_budget_are_refused_naming_the_file(string sizes, string expected)
    {
        string path = FileIn("overflow.json");
        File.WriteAllText(path, $$"""{"format":"neuralnet-model","version":1,"layerSizes":{{sizes}},"cost":"mse","layers":[]}""");
        var (e, allocated) = Refused(path);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void The_same_sizes_in_new_Network_are_an_ArgumentException_not_a_crash()
    {
        var e = Assert.Throws<ArgumentException>(() => new Network([2, 46341, 46341, 1]));
        Assert.Contains("W2 would be 46,341 × 46,341", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Network([2, 65536, 65537, 1]));
        Assert.Contains("more than one matrix can hold (2,147,483,647)", e.Message);
    }

    [Fact]
    public void A_model_file_larger_than_the_limit_is_refused_before_reading_it()
    {
        string path = FileIn("big.json");
        using (var f = new FileStream(path, FileMode.Create)) f.SetLength(ModelFile.MaxFileBytes + 1);   // sparse: no disk used
        var (e, allocated) = Refused(path);
        Assert.Equal($"{path} is 1,073,741,825 bytes, larger than the 1,073,741,824 bytes (1 GiB) a model file may be; it is not a model saved by NeuralNet, or its network is too large to load.", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("the file", "cost")]
    [InlineData("layer 1", "W")]
    public void A_key_written_twice_is_an_error_naming_the_file_and_the_key(string where, string key)
    {
        string path = FileIn("dup.json");
        ModelFile.Save(Small(), path);
        string text = File.ReadAllText(path);
        text = where == "the file"
            ? text.Replace("\"cost\":", "\"cost\": \"mse\",\n  \"cost\":")
            : text.Replace("\"W\":", "\"W\": [],\n      \"W\":");
        File.WriteAllText(path, text);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Equal($"{path}: {where} has the key \"{key}\" twice; each key may appear once. The file was merged or edited by hand: keep one of them, or save the model again.", e.Message);
    }

    [Fact]
    public void The_data_record_round_trips_and_format_1_files_still_load()
    {
        var net = Small();
        var scaler = FeatureScaler.From([1.5, -2], [0.5, 3]);
        string path = FileIn("m.json");
        ModelFile.Save(net, path, Record(scaler));
        var saved = ModelFile.Read(path);
        Assert.Equal(2, saved.Version);
        var d = saved.Data!;
        Assert.Equal(["x", "y"], d.FeatureNames);
        Assert.Equal(["no", "yes"], d.ClassNames);
        Assert.True(scaler.SameAs(d.Scaling));
        Assert.Equal("/data/points.csv", d.Source);
        Assert.Equal("7", d.Options["seed"]);
        Assert.Equal((30, 10), (d.TrainSamples, d.TestSamples));

        // A version-1 file (what the previous release wrote) loads, with no record.
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root.Remove("data");
        root["version"] = 1;
        File.WriteAllText(path, root.ToJsonString());
        var old = ModelFile.Read(path);
        Assert.Null(old.Data);
        Assert.Equal(1, old.Version);
        Assert.Equal(net.LayerSizes, old.Network.LayerSizes);

        // …but a version-1 file with a data record was edited by hand.
        root["data"] = new JsonObject { ["features"] = 2 };
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("format version 1 but a \"data\" record", Assert.Throws<ModelFileException>(() => ModelFile.Read(path)).Message);
    }

    [Fact]
    public void Saving_to_a_folder_names_the_folder_and_keeps_nothing_behind()
    {
        string folder = Directory.CreateDirectory(FileIn("out")).FullName;
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Save(Small(), folder));
        Assert.Contains($"{folder} is a folder", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [UnixFact]
    public void Saving_through_a_symbolic_link_writes_its_target_and_keeps_the_link()
    {
        string target = FileIn("real.json"), link = FileIn("link.json");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        string written = ModelFile.Save(Small(), link);
        Assert.Equal(target, written);
        Assert.NotNull(new FileInfo(link).LinkTarget);                 // still a link
        Assert.Equal(Small().LayerSizes, ModelFile.Read(target).Network.LayerSizes);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [UnixFact]
    public void A_pipe_or_device_at_the_path_is_refused_not_replaced()
    {
        // CheckWritable only inspects the path (it refuses before writing anything); tests never save to /dev/null itself.
        Assert.Contains("is not a regular file", Assert.Throws<ModelFileException>(() => ModelFile.CheckWritable("/dev/null")).Message);
        string fifo = FileIn("pipe.json");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Save(Small(), fifo));
        Assert.Contains($"{fifo} is not a regular file", e.Message);
        Assert.True(File.Exists(fifo));
        Assert.False(SafeFile.IsRegularFile(fifo));   // still the pipe
    }

    [UnixFact]
    public async Task Loading_from_a_pipe_is_refused_at_once_instead_of_waiting_for_a_writer()
    {
        string fifo = FileIn("pipe.json");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var load = Task.Run(() => ModelFile.Read(fifo));
        if (await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(30))) != load)
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }   // lets the blocked reader go
            Assert.Fail("ModelFile.Read waited on the pipe for a writer instead of refusing it");
        }
        var e = await Assert.ThrowsAsync<ModelFileException>(() => load);
        Assert.Contains($"{fifo} is not a regular file", e.Message);
    }

    [Fact]
    public void A_path_under_a_file_is_refused_before_any_work()
    {
        string file = FileIn("plain");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<ModelFileException>(() => ModelFile.CheckWritable(Path.Combine(file, "m.json")));
        Assert.Contains($"{file} is a file, so the folder {file} cannot be created", e.Message);
    }

    [Fact]
    public void A_save_that_fails_midway_keeps_the_previous_file_and_removes_its_temporary_file()
    {
        string path = FileIn("keep.json");
        var good = Small();
        ModelFile.Save(good, path);
        byte[] before = File.ReadAllBytes(path);
        // The disk fills up after layer 1 has been written: simulated by an activation whose name cannot be read then.
        var failing = new FailingActivation();
        var net = new Network(good.Parameters.Clone(), [Activations.Tanh, failing], Costs.CategoricalCrossEntropy);
        failing.Fail = true;
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Save(net, path));
        Assert.Equal($"could not save the model to {path}: No space left on device (simulated). The previous file there, if any, is unchanged.", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    private sealed class FailingActivation : Activation
    {
        public bool Fail { get; set; }
        public override string Name => Fail ? throw new IOException("No space left on device (simulated).") : "softmax";
        public override string Formula => "softmax";
        public override void Forward(MathNet.Numerics.LinearAlgebra.Matrix<double> z, MathNet.Numerics.LinearAlgebra.Matrix<double> a) => Activations.Softmax.Forward(z, a);
        public override void Backward(MathNet.Numerics.LinearAlgebra.Matrix<double> dA, MathNet.Numerics.LinearAlgebra.Matrix<double> z,
            MathNet.Numerics.LinearAlgebra.Matrix<double> a, MathNet.Numerics.LinearAlgebra.Matrix<double> dZ) => Activations.Softmax.Backward(dA, z, a, dZ);
    }

    [UnixFact]
    public void Temporary_files_left_by_a_killed_save_are_removed_by_the_next_save()
    {
        string path = FileIn("model.json");
        ModelFile.Save(Small(), path);
        int deadPid;
        using (var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!) { p.WaitForExit(); deadPid = p.Id; }
        string stale = FileIn($".model.json.{deadPid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, new byte[4096]);
        string ours = FileIn($".model.json.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");   // a save still running in this process
        File.WriteAllBytes(ours, new byte[16]);
        ModelFile.Save(Small(), path);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(ours));
        File.Delete(ours);
    }

    [UnixFact]
    public void A_killed_training_run_keeps_the_previous_model_whole()
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "NeuralNet.Cli.dll");
        string path = FileIn("fashion.json");
        var previous = Small();
        ModelFile.Save(previous, path);
        byte[] good = File.ReadAllBytes(path);
        var random = new System.Random(14);
        for (int round = 0; round < 3; round++)
        {
            string[] arguments = [cli, "train", "--data", "moons", "--samples", "4000", "--hidden-layers", "512,512",
                "--epochs", "3", "--no-chart", "--out", path];
            var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            Thread.Sleep(300 + (int)random.Next(0, 2500));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            // Whatever the moment of the kill, the file is the previous model or a complete new one.
            var loaded = ModelFile.Read(path);
            Assert.True(File.ReadAllBytes(path).SequenceEqual(good) || loaded.Network.LayerSizes.SequenceEqual([2, 512, 512, 1]),
                $"round {round}: the model file is neither the old nor a complete new one");
        }
        ModelFile.Save(Small(), path);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));   // any temporary file of a killed save is gone
    }

    [Fact]
    public void Seeded_corruptions_of_a_model_file_load_or_are_refused_with_a_ModelFileException()
    {
        string path = FileIn("fuzz.json");
        ModelFile.Save(Small(), path, Record(FeatureScaler.From([0, 1], [1, 2])));
        byte[] valid = File.ReadAllBytes(path);
        var random = new System.Random(2024);
        int loaded = 0, refused = 0;
        string[] numbers = ["1e308", "-1", "0", "2147483648", "99999", "1.5", "null", "\"x\"", "[]", "{}"];
        for (int n = 0; n < 200; n++)
        {
            var text = Encoding.UTF8.GetString(valid);
            string what;
            switch (random.Next(0, 4))
            {
                case 0:
                    int keep = (int)random.Next(0, valid.Length);
                    text = text[..keep];
                    what = $"truncated to {keep}";
                    break;
                case 1:
                    // Replace one number with another value.
                    var spots = System.Text.RegularExpressions.Regex.Matches(text, @"-?\d+(\.\d+)?(e-?\d+)?");
                    var spot = spots[(int)random.Next(0, spots.Count)];
                    string value = numbers[random.Next(0, numbers.Length)];
                    text = text[..spot.Index] + value + text[(spot.Index + spot.Length)..];
                    what = $"number at {spot.Index} set to {value}";
                    break;
                case 2:
                    int at = (int)random.Next(0, text.Length);
                    text = text.Remove(at, Math.Min(text.Length - at, (int)random.Next(1, 20)));
                    what = $"characters deleted at {at}";
                    break;
                default:
                    string key = new[] { "\"layerSizes\"", "\"W\"", "\"b\"", "\"data\"", "\"classes\"", "\"version\"" }[random.Next(0, 6)];
                    int i = text.IndexOf(key, StringComparison.Ordinal);
                    text = text.Insert(i, key + ": 3, ");
                    what = $"{key} duplicated";
                    break;
            }
            File.WriteAllText(path, text);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { ModelFile.Read(path); loaded++; }
            catch (ModelFileException e) { refused++; Assert.Contains(path, e.Message); }
            catch (Exception e) { Assert.Fail($"case {n} ({what}): {e.GetType().Name}: {e.Message}"); }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 16 << 20, $"case {n} ({what}): allocated {allocated:N0} bytes");
        }
        Assert.True(loaded > 5 && refused > 50, $"{loaded} loaded, {refused} refused");
    }
}
