namespace NeuralNet.Runner.Book;

/// <summary>One page of the book: its file (in artifacts/book/), title, body HTML (with typeset placeholders), headings and charts.</summary>
internal sealed record BookPage(string File, string Title, string Part, string Body, IReadOnlyList<Heading> Headings, int Charts);
