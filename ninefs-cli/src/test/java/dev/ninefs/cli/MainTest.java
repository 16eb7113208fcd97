// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main registers only the subcommand a command line names (a smaller serve), and every one otherwise. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aNamedCommandIsTheOnlyOneRegistered() {
        CommandLine cli = Main.commandLine(new String[] {"serve", "--listen", "tcp://127.0.0.1:0"});
        assertEquals(Set.of("serve"), cli.getSubcommands().keySet());
    }

    @Test
    void withoutACommandNameEveryCommandIsRegistered() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "ls"}, {"serv"}}) {
            CommandLine cli = Main.commandLine(args);
            assertEquals(Main.COMMANDS.size(), cli.getSubcommands().size(), String.join(" ", args));
            assertTrue(cli.getSubcommands().keySet().containsAll(Set.of("serve", "ls", "bench-memory", "help")));
        }
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (Class<?> c : Main.COMMANDS) {
            String name = c.getAnnotation(CommandLine.Command.class).name();
            assertTrue(out.toString().contains("  " + name + " "), name + " missing from:\n" + out);
        }
    }

    @Test
    void helpOfOneCommandNamesItFully() {
        assertEquals(0, run("help", "ls"));
        assertTrue(out.toString().startsWith("Usage: ninefs ls"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("stat", "--help"));
        assertTrue(out.toString().startsWith("Usage: ninefs stat"), out.toString());
    }

    @Test
    void aMistypedCommandIsStillSuggested() {
        assertEquals(Main.USAGE, run("serv"));
        assertTrue(err.toString().contains("Did you mean: ninefs serve?"), err.toString());
    }

    @Test
    void aNamedCommandStillRejectsBadUsage() {
        assertEquals(Main.USAGE, run("ls"));
        assertTrue(err.toString().contains("Try 'ninefs ls --help'."), err.toString());
    }
}
