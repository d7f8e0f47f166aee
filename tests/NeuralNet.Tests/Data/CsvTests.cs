using System.Globalization;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class CsvTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // ---- happy paths -------------------------------------------------------------------------

    [Fact]
    public void Header_and_string_labels_give_one_column_per_row_and_sorted_class_names()
    {
        var path = _temp.WriteText("iris.csv", "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.5,setosa\n");
        var data = Csv.Load(path);

        Assert.Equal(4, data.Count);
        Assert.Equal(2, data.Features);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
        Assert.Equal([0, 1, 2, 0], data.Labels);
        Assert.Equal(5.1, data.X[0, 0]);     // feature 0 of sample 0
        Assert.Equal(1.4, data.X[1, 0]);     // feature 1 of sample 0
        Assert.Equal(7.0, data.X[0, 1]);     // sample 1 is column 1
        Assert.Equal(1.5, data.X[1, 3]);
    }

    [Fact]
    public void No_header_and_whole_number_labels_are_kept_as_class_indices()
    {
        var path = _temp.WriteText("plain.csv", "0.5,-1e-3,2\n1.5,2E2,0\n-3,0,2\n");
        var data = Csv.Load(path);

        Assert.Equal([2, 0, 2], data.Labels);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal(-0.001, data.X[1, 0]);
        Assert.Equal(200, data.X[1, 1]);
        Assert.Equal(-3, data.X[0, 2]);
    }

    [Fact]
    public void Label_column_by_name_index_and_negative_index()
    {
        const string text = "x1,y,x2\n1,cat,2\n3,dog,4\n";
        var path = _temp.WriteText("middle.csv", text);
        foreach (var options in new[] { new CsvOptions { LabelColumnName = "y" }, new CsvOptions { LabelColumnName = "Y" }, new CsvOptions { LabelColumnIndex = 1 }, new CsvOptions { LabelColumnIndex = -2 } })
        {
            var data = Csv.Load(path, options);
            Assert.Equal(["cat", "dog"], data.ClassNames);
            Assert.Equal([0, 1], data.Labels);
            Assert.Equal(2, data.Features);
            Assert.Equal(4, data.X[1, 1]);
        }
    }

    [Fact]
    public void A_header_column_named_label_is_the_default_label_column()
    {
        var data = Csv.Load(_temp.WriteText("mnist-style.csv", "label,pixel0,pixel1\n7,0,255\n2,12,0\n"));
        Assert.Equal([7, 2], data.Labels);
        Assert.Equal(8, data.ClassCount);
        Assert.Equal(255, data.X[1, 0]);
    }

    [Fact]
    public void Explicit_header_options_override_detection()
    {
        var path = _temp.WriteText("numbers-header.csv", "0,1,2\n5,6,1\n");
        var asData = Csv.Load(path, new CsvOptions { HasHeader = false });
        Assert.Equal(2, asData.Count);
        var asHeader = Csv.Load(path, new CsvOptions { HasHeader = true });
        Assert.Equal(1, asHeader.Count);
        Assert.Equal(5, asHeader.X[0, 0]);
    }

    [Fact]
    public void Quotes_crlf_bom_blank_lines_and_spaces_are_handled()
    {
        string text = "\uFEFF\"width\", \"height\" ,\"kind, of thing\"\r\n\r\n \"1.5\" , 2 ,\"a, b\"\r\n3,4,\"say \"\"hi\"\"\"\r\n   \r\n5,6,\"two\nlines\"\r\n";
        var data = Csv.Load(_temp.WriteText("quoted.csv", text));
        Assert.Equal(3, data.Count);
        Assert.Equal(1.5, data.X[0, 0]);
        Assert.Equal(["a, b", "say \"hi\"", "two\nlines"], data.ClassNames);
    }

    [Fact]
    public void Semicolon_and_tab_delimiters_are_detected()
    {
        var semi = Csv.Load(_temp.WriteText("semi.csv", "a;b;c\n1.5;2;x\n3;4;y\n"));
        Assert.Equal(2, semi.Features);
        Assert.Equal(1.5, semi.X[0, 0]);
        var tab = Csv.Load(_temp.WriteText("tab.tsv", "a\tb\tc\n1\t2\t0\n"));
        Assert.Equal(2, tab.Features);
        var explicitDelimiter = Csv.Load(_temp.WriteText("pipe.csv", "1|2|0\n3|4|1\n"), new CsvOptions { Delimiter = '|' });
        Assert.Equal(4, explicitDelimiter.X[1, 1]);
    }

    [Fact]
    public void Parsing_does_not_depend_on_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var data = Csv.Load(_temp.WriteText("culture.csv", "1.25,3\n2.5,4\n"), new CsvOptions { LabelColumnIndex = 1 });
            Assert.Equal(1.25, data.X[0, 0]);
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void Gzipped_csv_is_read_by_its_content()
    {
        var path = _temp.WriteBytes("data.csv", TempFolder.Gzip("a,b\n1,0\n2,1\n"u8.ToArray()));
        Assert.Equal(2, Csv.Load(path).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_latin1_file_is_refused_naming_the_encoding_and_where_instead_of_renaming_its_classes(bool gzip)
    {
        // "Café" and "Crème" in Latin-1: read as UTF-8 they became "Caf�" and "Cr�me", without a word.
        byte[] latin1 = System.Text.Encoding.Latin1.GetBytes("x,y,drink\n1,2,Tea\n3,4,Café\n5,6,Crème\n");
        string path = _temp.WriteBytes(gzip ? "drinks.csv.gz" : "drinks.csv", gzip ? TempFolder.Gzip(latin1) : latin1);
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(path));
        Assert.Equal(3, e.Line);
        Assert.Equal($"{path}, line 3: the text is not UTF-8: at byte offset 25, after \"3,4,Caf\", comes e9 ('é' in Latin-1), which is not a UTF-8 character. " +
            "The file is in another encoding (Latin-1 or Windows-1252, as older spreadsheets save CSV, most likely); read as UTF-8, its class names and headers would be changed. " +
            "Save it as UTF-8 (a spreadsheet's \"CSV UTF-8\"; or iconv -f latin1 -t utf-8 in.csv > out.csv) and load that.", e.Message);
        Assert.IsType<System.Text.DecoderFallbackException>(e.InnerException);
        Assert.Contains("line 3: the text is not UTF-8", Assert.Throws<DataFormatException>(() => Csv.LoadFeatures(path, 2)).Message);
        // The same text in UTF-8, with or without a byte-order mark, keeps its accented class names.
        string utf8 = "x,y,drink\n1,2,Tea\n3,4,Café\n5,6,Crème\n";
        Assert.Equal(["Café", "Crème", "Tea"], Csv.Load(_temp.WriteText("drinks-utf8.csv", utf8)).ClassNames);
        Assert.Equal(["Café", "Crème", "Tea"], Csv.Load(_temp.WriteBytes("drinks-bom.csv", [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(utf8)])).ClassNames);
    }

    [Fact]
    public void A_header_of_numeric_names_over_a_label_column_is_still_a_header()
    {
        // "2016,2017,label" over text labels: no field is a word over a number, so the header was read as a sample of class "label".
        var data = Csv.Parse("2016,2017,label\n1,2,cat\n3,4,dog\n");
        Assert.Equal(2, data.Count);
        Assert.Equal(["cat", "dog"], data.ClassNames);
        Assert.Equal(3, Csv.Parse("1,2,label\n1,2,label\n3,4,dog\n").Count);   // "label" under "label": a class of that name, as before
    }


    [Fact]
    public void A_broken_multibyte_character_far_into_a_file_is_found_past_the_first_buffer()
    {
        string rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i},{i % 3},ü\n"));   // ü: two bytes each, valid
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes("a,b,label\n" + rows), .. "7,8,x"u8, 0xC3, .. "\n"u8];   // a lead byte without its second
        string path = _temp.WriteBytes("long.csv", bytes);
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(path));
        Assert.Equal(5002, e.Line);
        Assert.Contains("after \"7,8,x\", comes c3 ('Ã' in Latin-1), which is not a UTF-8 character", e.Message);
    }

    [Fact]
    public void Given_class_names_fix_the_numbering()
    {
        var data = Csv.Load(_temp.WriteText("fixed.csv", "1,dog\n2,dog\n3,1\n"), new CsvOptions { ClassNames = ["cat", "dog", "bird"] });
        Assert.Equal([1, 1, 1], data.Labels);
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void Parse_reads_text_in_memory()
    {
        var data = Csv.Parse("f,label\n1,0\n2,1\n");
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void Negative_or_fractional_labels_become_sorted_class_names()
    {
        var data = Csv.Load(_temp.WriteText("pm.csv", "1,-1\n2,1\n3,-1\n"));
        Assert.Equal(["-1", "1"], data.ClassNames);
        Assert.Equal([0, 1, 0], data.Labels);
    }

    // ---- malformed files: each gives one DataFormatException naming the file, line and column ----

    public static TheoryData<string, string, CsvOptions?, int?, int?, string> Malformed() => new()
    {
        { "empty.csv", "", null, null, null, "the file is empty" },
        { "blank.csv", "\n  \n\n", null, null, null, "the file is empty" },
        { "header-only.csv", "a,b,label\n", null, null, null, "has a header (line 1) but no data rows" },
        { "not-a-number.csv", "a,b,label\n1,2,x\n3,oops,y\n", null, 3, 2, "'oops' in 'b' is not a number" },
        { "ragged.csv", "1,2,0\n\n3,4\n", null, 3, null, "this row has 2 fields, but line 1 has 3" },
        { "trailing-comma.csv", "1,2,0\n3,4,1,\n", null, 2, null, "remove the trailing delimiter" },
        { "decimal-comma.csv", "1,5;2,0;0\n3,5;1,0;1\n", null, 1, 1, "write 1.5, not 1,5" },
        { "empty-value.csv", "1,,0\n2,3,1\n", null, 1, 2, "Missing values are not supported" },
        { "nan.csv", "1,NaN,0\n", null, 1, 2, "is not a finite number" },
        { "overflow.csv", "x,y,l\n1,1e400,0\n", null, 2, 2, "is not a finite number" },
        { "no-such-name.csv", "a,b,label\n1,2,0\n", new CsvOptions { LabelColumnName = "species" }, 1, null, "there is no column named 'species'. The columns are: 'a', 'b', 'label'" },
        { "bad-index.csv", "1,2,0\n", new CsvOptions { LabelColumnIndex = 5 }, 1, null, "there is no label column 5: the rows have 3 fields" },
        { "name-no-header.csv", "1,2,0\n", new CsvOptions { LabelColumnName = "label", HasHeader = false }, 1, null, "is not a header of column names" },
        { "unclosed-quote.csv", "1,2,0\n3,\"4,1\n5,6,1\n", null, 2, 2, "opened here is never closed" },
        { "after-quote.csv", "\"1\"x,2,0\n", null, 1, 1, "there is text after the closing quote" },
        { "nul.csv", "1,2,0\n3,\0,1\n", null, 2, null, "binary file, not CSV text" },
        { "one-column.csv", "1\n2\n", null, 1, null, "has only one field, so there are no feature columns" },
        { "empty-label.csv", "1,2,\n3,4,1\n", null, 1, 3, "the label ('column 3') is empty" },
        { "huge-label.csv", "1,2,70000\n", null, 1, 3, "is too large to be a class index" },
        { "unknown-class.csv", "1,2,cat\n3,4,cow\n", new CsvOptions { ClassNames = ["cat", "dog"] }, 2, 3, "'cow' is not one of the given class names (cat, dog)" },
        { "header-as-data.csv", "a,2,0\nb,3,1\n", null, 1, 1, "set CsvOptions.HasHeader = true" },
        { "thousands.csv", "x,y\n1 000,1\n", null, 2, 1, "thousands separators" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_csv_is_rejected_with_a_located_message(string name, string text, CsvOptions? options, int? line, int? column, string expected)
    {
        var path = _temp.WriteText(name, text);
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(path, options));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
        if (line is int l) Assert.Contains($"line {l}", e.Message);
        if (column is int c) Assert.Contains($"column {c}", e.Message);
    }

    [Fact]
    public void Missing_file_names_the_full_path_and_the_current_directory()
    {
        var path = _temp.File("nope.csv");
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(path));
        Assert.Contains("file not found", e.Message);
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains(Directory.GetCurrentDirectory(), e.Message);
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }

    [Fact]
    public void A_folder_an_idx_file_a_zip_and_broken_gzip_are_recognised()
    {
        Assert.Contains("this is a folder", Assert.Throws<DataFormatException>(() => Csv.Load(_temp.Path)).Message);
        var idx = _temp.WriteBytes("images.idx", TempFolder.Idx([1, 2], [1, 2]));
        Assert.Contains("this is an IDX file", Assert.Throws<DataFormatException>(() => Csv.Load(idx)).Message);
        var zip = _temp.WriteBytes("data.zip", [(byte)'P', (byte)'K', 3, 4, 0, 0]);
        Assert.Contains("zip archive", Assert.Throws<DataFormatException>(() => Csv.Load(zip)).Message);
        var gz = TempFolder.Gzip("a,b\n1,0\n2,1\n"u8.ToArray());
        var broken = _temp.WriteBytes("broken.csv.gz", gz[..(gz.Length / 2)].Concat(new byte[] { 0xff, 0x00, 0xff, 0xff }).ToArray());
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(broken));
        Assert.Equal(broken, e.FilePath);
    }

    [Fact]
    public void Line_numbers_count_the_lines_inside_quoted_fields()
    {
        var path = _temp.WriteText("multiline.csv", "a,b,c\n1,2,\"x\ny\nz\"\n3,bad,w\n");
        var e = Assert.Throws<DataFormatException>(() => Csv.Load(path));
        Assert.Equal(5, e.Line);
        Assert.Equal(2, e.Column);
    }
}
