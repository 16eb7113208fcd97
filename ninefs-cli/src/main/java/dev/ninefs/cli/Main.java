// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ninefs command. User mistakes and remote errors print one line; only our own bugs print a stack. */
@Command(name = "ninefs", mixinStandardHelpOptions = true, version = "ninefs 0.1.0",
        description = "A 9P2000.L file server, client and benchmark.",
        footer = {"", "Client commands take tcp://HOST:PORT/ANAME/PATH or unix:/SOCKET:/ANAME/PATH.",
            "Exit status: 0 done, 1 the operation failed, 2 bad usage."})
public final class Main implements Runnable {
    static final int FAILED = 1;
    static final int USAGE = 2;

    /**
     * The subcommands, in help order. They are registered by {@link #commandLine}, not in the annotation: picocli
     * builds the model of every registered command up front (its options, their types, converters), which for all
     * of them loads about 250 classes and keeps their models on the heap for as long as {@code serve} runs.
     */
    static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, LsCommand.class, StatCommand.class,
            CatCommand.class, GetCommand.class, PutCommand.class, MkdirCommand.class, RmCommand.class,
            MvCommand.class, dev.ninefs.cli.bench.BenchCommand.class, dev.ninefs.cli.bench.BenchNullCommand.class,
            dev.ninefs.cli.bench.BenchMemoryCommand.class, CommandLine.HelpCommand.class);

    private Main() {}

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command (try ninefs --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args);
        cli.setOut(out).setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILED);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("ninefs: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandSpec().qualifiedName();
            if (e instanceof IllegalArgumentException) {
                err.println(name + ": " + e.getMessage());
                return USAGE;
            }
            if (e instanceof ErrnoException x) {
                err.println(name + ": " + x.getMessage() + " (" + Strerror.of(x) + ")");
                return FAILED;
            }
            if (e instanceof IOException || e instanceof UnsupportedOperationException) {
                err.println(name + ": " + e.getMessage());
                return FAILED;
            }
            err.println(name + ": internal error, please report it:");
            e.printStackTrace(err);
            return FAILED;
        });
        return cli.execute(args);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand, only that one is registered
     * (its help, parsing and errors are the same); otherwise (no argument, an option, {@code help}, a typo, which
     * needs the names for suggestions) all of them are.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        Class<?> named = COMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first))
                .findFirst().orElse(null);
        for (Class<?> c : named != null ? List.of(named) : COMMANDS) {
            cli.addSubcommand(c);
        }
        return cli;
    }
}
