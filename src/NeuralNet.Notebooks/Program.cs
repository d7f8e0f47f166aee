Console.WriteLine("The notebook runner is not written yet.");
return 1;
