Console.WriteLine("The command-line trainer is not written yet.");
return 1;
