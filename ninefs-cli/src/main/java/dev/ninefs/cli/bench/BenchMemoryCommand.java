// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.cli.RemotePath;
import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dotl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ninefs bench-memory}: what a server's memory costs, read from /proc/PID/status (VmRSS) of the server
 * process while this client opens idle connections and then many fids on one connection. Works for any server
 * on this machine (ninefs, diod).
 */
@Command(name = "bench-memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a local server's resident memory: idle, with N idle connections (each attached),",
            "and with F fids held on one connection (then checked with Tgetattr and clunked).",
            "Start the server fresh: the idle figure is taken before this command connects."})
public final class BenchMemoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", description = "tcp://HOST:PORT/ANAME[/DIR] or unix:/SOCKET:/ANAME[/DIR].")
    String uri;

    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The server's process id.")
    long pid;

    @Option(names = "--connections", paramLabel = "N", description = "Idle connections (default 1000).")
    int connections = 1000;

    @Option(names = "--fids", paramLabel = "F", description = "Fids on one connection (default 100000).")
    int fids = 100_000;

    @Option(names = "--open", description = "Open each fid (Tlopen of a file made for it), not only walk it.")
    boolean open;

    @Option(names = "--aname", paramLabel = "ANAME", description = "Attach to ANAME (see ninefs bench --help).")
    String aname;

    @Option(names = "--json", description = "Print one line of JSON.")
    boolean json;

    private static final String FILE = "ninefs-bench-memory";

    @Override
    public Integer call() throws Exception {
        RemotePath target;
        try {
            target = RemotePath.parse(uri);
            if (aname != null) {
                List<String> names = new ArrayList<>();
                if (!target.aname().isEmpty()) {
                    names.add(target.aname());
                }
                names.addAll(target.names());
                target = new RemotePath(target.endpoint(), aname, names);
            }
            if (connections < 0 || fids < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClientOptions client = ClientOptions.defaults().withTimeout(Duration.ZERO);
        String user = System.getProperty("user.name", "");
        int uid = BenchCommand.currentUid();

        long idle = rss(pid);
        List<Connection> idleConnections = new ArrayList<>();
        long withConnections;
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = Connection.open(target.endpoint(), client);
                idleConnections.add(c);
                c.attach(user, target.aname(), uid);
            }
            withConnections = rss(pid);
        } finally {
            idleConnections.forEach(Connection::close);
        }
        err.println("bench-memory: " + connections + " connections measured; now " + fids + " fids");

        long beforeFids;
        long withFids;
        try (Connection c = Connection.open(target.endpoint(), client.withMaxInFlight(256));
                RemoteFile root = c.attach(user, target.aname(), uid);
                RemoteFile dir = root.walk(target.names())) {
            if (open) {
                dir.create(FILE, Dotl.O_RDONLY, 0644).close();
            }
            try {
                beforeFids = rss(pid);
                List<RemoteFile> held = holdFids(dir);
                withFids = rss(pid);
                check(held);
            } finally {
                if (open) {
                    new Unlinker().unlink(dir, FILE, 0);
                }
            }
        }
        double perConnection = connections == 0 ? 0 : (withConnections - idle) / (double) connections;
        double perFid = fids == 0 ? 0 : (withFids - beforeFids) / (double) fids;
        if (json) {
            out.printf(Locale.ROOT, "{\"pid\":%d,\"idle_rss\":%d,\"connections\":%d,\"rss_with_connections\":%d,"
                    + "\"bytes_per_connection\":%.0f,\"fids\":%d,\"opened\":%b,\"rss_before_fids\":%d,"
                    + "\"rss_with_fids\":%d,\"bytes_per_fid\":%.0f,\"ok\":true}%n", pid, idle, connections,
                    withConnections, perConnection, fids, open, beforeFids, withFids, perFid);
        } else {
            out.printf(Locale.ROOT, "server pid %d%n", pid);
            out.printf(Locale.ROOT, "  idle RSS                 %8.1f MiB%n", idle / 1048576.0);
            out.printf(Locale.ROOT, "  + %d idle connections  %8.1f MiB  (%.1f KiB each)%n", connections,
                    (withConnections - idle) / 1048576.0, perConnection / 1024);
            out.printf(Locale.ROOT, "  + %d %s fids       %8.1f MiB  (%.0f bytes each), all answered Tgetattr%n",
                    fids, open ? "open" : "walked", (withFids - beforeFids) / 1048576.0, perFid);
        }
        out.flush();
        return 0;
    }

    /** Walks (and with --open, opens) {@code fids} fids from {@code dir}, 32 requests in flight. */
    private List<RemoteFile> holdFids(RemoteFile dir) throws IOException, InterruptedException {
        int workers = 32;
        List<RemoteFile> held = new ArrayList<>(fids);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<RemoteFile>>> parts = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int share = fids / workers + (w < fids % workers ? 1 : 0);
                parts.add(pool.submit(() -> {
                    List<RemoteFile> mine = new ArrayList<>(share);
                    for (int i = 0; i < share; i++) {
                        mine.add(open ? dir.open(FILE, Dotl.O_RDONLY) : dir.duplicate());
                    }
                    return mine;
                }));
            }
            for (Future<List<RemoteFile>> part : parts) {
                held.addAll(part.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        return held;
    }

    /** Every fid still answers; then all are clunked. */
    private static void check(List<RemoteFile> held) throws IOException {
        for (int i = 0; i < held.size(); i += Math.max(1, held.size() / 1000)) {
            held.get(i).getattr(Dotl.GETATTR_BASIC);
        }
        if (!held.isEmpty()) {
            held.getLast().getattr(Dotl.GETATTR_BASIC);
        }
        for (RemoteFile f : held) {
            f.close();
        }
    }

    /** VmRSS of process {@code pid}, in bytes. */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
