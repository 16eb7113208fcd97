// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one bench: connects, prepares the fixtures, starts {@code connections x depth} lanes, warms up, measures,
 * stops, cleans up, and adds the lanes' figures together. Everything goes through the client library, so the
 * server sees what any 9P2000.L client would send.
 */
final class BenchEngine {
    private final BenchOptions options;
    private final PrintWriter progress;
    private final ProcessCpu serverCpu;

    /** @param progress where to say what is happening (stderr), or null for silence */
    BenchEngine(BenchOptions options, PrintWriter progress) {
        this(options, progress, null);
    }

    /** @param serverCpu the server's process, to measure its CPU time in the window; null when not local */
    BenchEngine(BenchOptions options, PrintWriter progress, ProcessCpu serverCpu) {
        this.options = options;
        this.progress = progress;
        this.serverCpu = serverCpu;
    }

    BenchResult run() throws IOException, InterruptedException {
        List<Connection> connections = new ArrayList<>();
        List<RemoteFile> roots = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        try {
            connect(connections, roots);
            Fixture fixture = new Fixture(options, roots);
            say("preparing fixtures in " + options.target() + "/" + Fixture.DIR);
            fixture.prepare();
            BenchResult result;
            try {
                result = measure(fixture, roots, lanes);
            } catch (IOException | InterruptedException | RuntimeException e) {
                cleanUp(lanes, fixture, e);
                throw e;
            }
            cleanUp(lanes, fixture, null);
            return result;
        } finally {
            for (RemoteFile root : roots) {
                try {
                    root.close();
                } catch (IOException ignored) {
                    // The connection goes next, and the server forgets its fids with it.
                }
            }
            connections.forEach(Connection::close);
        }
    }

    private void connect(List<Connection> connections, List<RemoteFile> roots) throws IOException {
        ClientOptions client = ClientOptions.defaults()
                .withMsize(options.msize())
                .withSpin(options.spin())
                .withMaxInFlight(Math.min(ClientOptions.MAX_IN_FLIGHT, Math.max(1024, options.depth() * 8 + 16)));
        for (int i = 0; i < options.connections(); i++) {
            Connection c = Connection.open(options.target().endpoint(), client);
            connections.add(c);
            roots.add(c.attach(options.uname(), options.target().aname(), options.uid()));
        }
    }

    private BenchResult measure(Fixture fixture, List<RemoteFile> roots, List<Lane> lanes)
            throws IOException, InterruptedException {
        Phase phase = new Phase();
        ErrorTally errors = new ErrorTally();
        int total = options.connections() * options.depth();
        CountDownLatch finished = new CountDownLatch(total);
        for (int c = 0; c < options.connections(); c++) {
            for (int d = 0; d < options.depth(); d++) {
                int index = c * options.depth() + d;
                lanes.add(new Lane(Operation.open(options, fixture, roots.get(c), index, total), phase, errors,
                        finished));
            }
        }
        List<Thread> threads = new ArrayList<>();
        Thread.Builder builder = laneThreads(total);
        for (Lane lane : lanes) {
            threads.add(builder.name("bench-lane").start(lane));
        }
        say("warming up for " + human(options.warmup()) + ", then measuring for " + human(options.duration()));
        finished.await(options.warmup().toNanos(), TimeUnit.NANOSECONDS);
        phase.set(Phase.MEASURE);
        long start = System.nanoTime();
        long cpuStart = serverCpu == null ? 0 : serverCpu.nanos();
        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        long selfStart = self.nanos();
        // Returns early only if every lane died (their connections failed).
        finished.await(options.duration().toNanos(), TimeUnit.NANOSECONDS);
        phase.set(Phase.STOP);
        long end = System.nanoTime();
        long cpu = serverCpu == null ? -1 : serverCpu.nanos() - cpuStart;
        long selfCpu = self.nanos() - selfStart;
        for (Thread t : threads) {
            t.join();
        }
        LatencyHistogram all = new LatencyHistogram();
        long bytes = 0;
        int dead = 0;
        for (Lane lane : lanes) {
            all.add(lane.latencies);
            bytes += lane.bytes;
            dead += lane.died ? 1 : 0;
        }
        return new BenchResult(options, roots.getFirst().connection().msize(), end - start, all, bytes,
                errors.kinds(), dead, cpu, selfCpu);
    }

    /**
     * Platform threads while there are no more lanes than processors: a lone lane then reads its own reply with
     * the client library and sleeps in the kernel meanwhile, one wake-up per round trip as a plain ping-pong, where
     * a virtual lane also wakes the JDK's poller and a carrier thread (at 1x1 the generator did twice the round
     * trips, issue 7). Virtual threads beyond: lanes then share the connection's reader, and many virtual lanes
     * are cheaper to wake than as many platform threads.
     */
    static Thread.Builder laneThreads(int lanes) {
        return lanes <= Runtime.getRuntime().availableProcessors() ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    }

    /**
     * Clunks the lanes' fids and removes the fixtures. A failure here is not a failed operation of the run: it is
     * reported (or attached to the run's own failure) but does not replace the figures.
     */
    private void cleanUp(List<Lane> lanes, Fixture fixture, Exception primary) {
        try {
            for (Lane lane : lanes) {
                if (!lane.died) {
                    lane.operation().close();
                }
            }
            fixture.remove();
        } catch (IOException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                say("WARNING: cleaning up failed: " + e.getMessage());
            }
        }
    }

    private void say(String what) {
        if (progress != null) {
            progress.println("bench: " + what);
            progress.flush();
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
