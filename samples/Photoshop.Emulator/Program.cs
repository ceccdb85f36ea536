using System;
using Photoshop.Emulator;

// The command line: parse, start, print the address, run until Ctrl+C, print the counts.
EmulatorOptions options;
try
{
    options = EmulatorCommandLine.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EmulatorCommandLine.Usage);
    return 2;
}

await using var emulator = await PhotoshopEmulator.StartAsync(options);
Console.WriteLine($"Photoshop API emulator listening on {emulator.BaseAddress}");
await emulator.WaitForShutdownAsync();
Console.WriteLine($"Photoshop API emulator stopped: {emulator.Stats}");
return 0;
