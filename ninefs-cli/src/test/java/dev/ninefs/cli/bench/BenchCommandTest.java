// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class BenchCommandTest {
    private static BenchOptions parse(String... args) {
        BenchCommand command = new BenchCommand();
        CommandLine cli = new CommandLine(command);
        cli.parseArgs(args);
        return command.options(command.nullResponder ? "tcp://127.0.0.1:0/null" : command.uri);
    }

    /** Runs the command as the CLI would; returns the exit status, with stderr in {@code err}. */
    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void defaultsAreOneLaneOfGetattrForTenSeconds() {
        BenchOptions o = parse("tcp://127.0.0.1:5640/share");
        assertEquals(Workload.GETATTR, o.workload());
        assertEquals(1, o.connections());
        assertEquals(1, o.depth());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(Duration.ofSeconds(2), o.warmup());
        assertEquals(1 << 20, o.msize());
        assertEquals(4096, o.blockSize());
        assertEquals(64L << 20, o.fileSize());
        assertEquals(10_000, o.entries());
        assertEquals("share", o.target().aname());
        assertEquals(List.of(), o.target().names());
        assertFalse(o.keep());
    }

    @Test
    void everyOptionReachesTheRun() {
        BenchOptions o = parse("-w", "read", "-c", "4", "-d", "16", "--duration", "500ms", "--warmup", "0",
                "--msize", "64k", "-b", "1M", "--file-size", "8M", "--random", "--entries", "7", "--user", "bob",
                "--uid", "1000", "--keep", "unix:/run/ninefs.sock:/share/sub/dir");
        assertEquals(Workload.READ, o.workload());
        assertEquals(4, o.connections());
        assertEquals(16, o.depth());
        assertEquals(Duration.ofMillis(500), o.duration());
        assertEquals(Duration.ZERO, o.warmup());
        assertEquals(65536, o.msize());
        assertEquals(1 << 20, o.blockSize());
        assertEquals(8L << 20, o.fileSize());
        assertTrue(o.random());
        assertEquals(7, o.entries());
        assertEquals("bob", o.uname());
        assertEquals(1000, o.uid());
        assertTrue(o.keep());
        assertEquals("unix:/run/ninefs.sock", o.target().endpoint());
        assertEquals(List.of("sub", "dir"), o.target().names());
        assertEquals(8, o.blocks());
    }

    @Test
    void anameOptionTurnsTheWholePathIntoADirectoryOfThatExport() {
        BenchOptions o = parse("--aname", "/srv/x", "tcp://127.0.0.1:564/a/b");
        assertEquals("/srv/x", o.target().aname());
        assertEquals(List.of("a", "b"), o.target().names());
    }

    @Test
    void unitsAcceptWhatPeopleType() {
        assertEquals(4096, Units.size("4k"));
        assertEquals(4096, Units.size("4KiB"));
        assertEquals(1 << 20, Units.size("1M"));
        assertEquals(3L << 30, Units.size("3g"));
        assertEquals(Duration.ofSeconds(10), Units.duration("10"));
        assertEquals(Duration.ofMillis(1500), Units.duration("1.5s"));
        assertEquals(Duration.ofMinutes(2), Units.duration("2m"));
        assertThrows(IllegalArgumentException.class, () -> Units.size("4x"));
        assertThrows(IllegalArgumentException.class, () -> Units.size("-1"));
        assertThrows(IllegalArgumentException.class, () -> Units.size("99999999999g"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("soon"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("NaN"));
    }

    @Test
    @Timeout(60)
    void processCpuOfThisProcessGrowsWithWork() throws Exception {
        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        long before = self.nanos();
        assertTrue(before > 0, "a JVM has used some CPU by now");
        long x = 0;
        // Spin until the process has 100 ms more CPU: seconds of wall time on a busy machine, never forever.
        while (self.nanos() - before < 100_000_000L) {
            for (int i = 0; i < 1_000_000; i++) {
                x += Long.numberOfTrailingZeros(x + i);
            }
        }
        assertTrue(x != 42);
    }

    @Test
    void nonsenseIsAUsageErrorThatSaysWhy() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "-w", "dance", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("unknown workload 'dance'"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "-c", "0", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("connections must be at least 1"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "-w", "read", "-b", "1M", "--file-size", "4k", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("smaller than the block size"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err));
        assertTrue(err.toString().contains("--null"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "--null", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("give no URI"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "--server-pid", "999999999", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("cannot read its CPU time"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "--msize", "100", "tcp://127.0.0.1:1/x"));
        assertTrue(err.toString().contains("msize"), err.toString());
    }
}
