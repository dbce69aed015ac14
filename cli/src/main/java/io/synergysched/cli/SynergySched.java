package io.synergysched.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code synergysched} launcher. A new command is one more entry in {@code subcommands}.
 */
@Command(
    name = "synergysched",
    mixinStandardHelpOptions = true,
    version = "synergysched 0.1.0",
    description = "Predictive cross-layer scheduling for LLM inference clusters.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      StepLatencyCommand.class,
      SimulateCommand.class,
      MatrixCommand.class,
      BenchSimCommand.class,
      BenchPrismCommand.class,
      BenchTrainerCommand.class,
      AuditCommand.class,
      RecordCommand.class,
      ReplayCommand.class,
      LoadCommand.class,
    })
public final class SynergySched implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new SynergySched());
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.UncheckedIOException) {
        cl.getErr().println("error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine;
  }
}
