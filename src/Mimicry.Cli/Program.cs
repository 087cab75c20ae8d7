return await Mimicry.Cli.CliApp.RunAsync(args);
