using CarbonLsp.Cli;
using CarbonLsp.Serve;

// Entry point: everything goes through the command line; nothing here writes to stdout itself,
// because in `serve` mode stdout belongs to the protocol.
try
{
    // The language server's first message gets a head start on the other core (StartupWarmUp).
    if (args is ["serve", ..]) CarbonLsp.LanguageServer.Hosting.StartupWarmUp.Start();
    CommandLine.ExtraCommands.Add(GenerateCommand.Create());
    CommandLine.ExtraCommands.Add(ServeCommand.Create());
    CommandLine.ExtraCommands.Add(ValidateCommand.Create());
    CommandLine.ExtraCommands.Add(GridCommand.Create());
    CommandLine.ExtraCommands.Add(ModelsCommand.Create());
    CommandLine.ExtraCommands.Add(LedgerCommand.Create());
    CommandLine.ExtraCommands.Add(ReportCommand.Create());
    return CommandLine.Run(args);
}
catch (Exception ex)
{
    Console.Error.WriteLine($"carbonlsp: internal error (a bug: please report it with the command that caused it): {ex.Message}");
    return 70;
}
