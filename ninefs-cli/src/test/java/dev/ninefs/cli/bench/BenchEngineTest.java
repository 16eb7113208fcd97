// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.cli.RemotePath;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** The engine against a real in-process server on the synth backend, over loopback TCP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchEngineTest {
    private static NinefsServer server;
    private static String endpoint;

    @BeforeAll
    static void start() throws IOException {
        server = NinefsServer.builder().export("share", SynthFileSystem.create()).build();
        endpoint = server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static BenchOptions options(Workload workload, int connections, int depth, Duration duration) {
        return new BenchOptions(new RemotePath(endpoint, "share", List.of()), workload, connections, depth,
                Duration.ofMillis(100), duration, 1 << 20, 4096, 1 << 20, false, 50, "root", 0, false);
    }

    @Test
    void getattrForASecondOnTwoConnectionsCountsOnlyCleanOperations() throws Exception {
        BenchResult r = new BenchEngine(options(Workload.GETATTR, 2, 4, Duration.ofSeconds(1)), null).run();
        assertTrue(r.ok(), () -> Report.text(r));
        assertTrue(r.ops() > 100, () -> Report.text(r));
        assertEquals(0, r.errorCount());
        assertEquals(0, r.bytes(), "getattr moves no file data");
        assertTrue(r.seconds() >= 0.9 && r.seconds() < 5, "measured " + r.seconds() + " s");
        assertTrue(r.opsPerSecond() > 0);
        assertTrue(r.latencies().percentile(50) > 0 && r.latencies().percentile(50) <= r.latencies().max());
        assertEquals(1 << 20, r.msize());
        assertTrue(Report.json(r).contains("\"ok\":true"), Report.json(r));
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void everyWorkloadRunsCleanAndLeavesNothingBehind(Workload workload) throws Exception {
        BenchResult r = new BenchEngine(options(workload, 1, 2, Duration.ofMillis(600)), null).run();
        assertTrue(r.ok(), () -> Report.text(r));
        assertTrue(r.ops() > 0, () -> Report.text(r));
        if (workload == Workload.READ || workload == Workload.WRITE) {
            assertEquals(r.ops() * 4096, r.bytes(), "every block moved whole");
        }
        try (Connection c = Connection.open(endpoint); RemoteFile root = c.attach("root", "share", 0)) {
            assertEquals(List.of(), root.list(), "fixtures removed");
        }
    }

    @Test
    void failuresAreCountedNeverMeasuredAndFailTheRun() throws Exception {
        SynthFileSystem fs = SynthFileSystem.create();
        try (NinefsServer both = NinefsServer.builder().export("rw", fs).export("ro", fs, true).build()) {
            String at = both.listen(Endpoint.parse("tcp://127.0.0.1:0")).toString();
            // The fixtures are made through the writable export and kept; through the read-only one, every
            // create then fails with EROFS.
            BenchOptions prepare = new BenchOptions(new RemotePath(at, "rw", List.of()), Workload.CREATE, 1, 1,
                    Duration.ZERO, Duration.ofMillis(100), 1 << 20, 4096, 0, false, 0, "root", 0, true);
            assertTrue(new BenchEngine(prepare, null).run().ok());
            BenchOptions refused = new BenchOptions(new RemotePath(at, "ro", List.of()), Workload.CREATE, 1, 2,
                    Duration.ZERO, Duration.ofMillis(300), 1 << 20, 4096, 0, false, 0, "root", 0, true);
            BenchResult r = new BenchEngine(refused, null).run();
            assertFalse(r.ok());
            assertEquals(0, r.ops(), "no figure from failed operations");
            assertEquals(0, r.latencies().count());
            assertTrue(r.errorCount() > 0);
            assertEquals(r.errorCount(), r.errors().get("EROFS").count(), () -> r.errors().toString());
            assertTrue(Report.text(r).contains("RUN FAILED"), Report.text(r));
            assertTrue(Report.json(r).contains("\"ok\":false"), Report.json(r));

            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new BenchCommand());
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err, true));
            assertEquals(1, cli.execute("-w", "create", "--duration", "200ms", "--warmup", "0", "--keep", "--quiet",
                    "--user", "root", "--uid", "0", at + "/ro"));
            assertTrue(err.toString().contains("RUN FAILED"), err.toString());
        }
    }

    @Test
    void theNullResponderAnswersEveryWorkloadCleanly() throws Exception {
        try (NullResponder responder = NullResponder.start(Endpoint.parse("tcp://127.0.0.1:0"), 1 << 20, 1 << 20,
                50)) {
            for (Workload w : Workload.values()) {
                BenchOptions o = new BenchOptions(new RemotePath(responder.endpoint().toString(), "null", List.of()),
                        w, 2, 4, Duration.ZERO, Duration.ofMillis(200), 1 << 20, w == Workload.READ ? 1 << 20 : 4096,
                        1 << 20, false, 50, "root", 0, false);
                BenchResult r = new BenchEngine(o, null).run();
                assertTrue(r.ok() && r.ops() > 0, () -> Report.text(r));
            }
        }
    }
}
