// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.cli.RemotePath;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ninefs bench}: a 9P2000.L load generator for any server. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a 9P2000.L server (ninefs, diod, QEMU...): N connections x D requests in flight, "
            + "a warm-up, then a measured run. Prints ops/s, MB/s, latency p50/p99/max and errors. Only successful "
            + "operations count; any failure is reported and makes the exit status 1.",
            "",
            "Fixtures are made in ninefs-bench/ under URI's directory and removed afterwards (unless --keep)."},
        footer = {"", "Workloads: getattr, walk (walk to a file and clunk), read, write (--block-size, --random), "
            + "create (create, clunk, unlink), readdir (full listing of --entries files), mixed.",
            "", "Examples:", "  ninefs bench -w read --block-size 1M tcp://127.0.0.1:5640/share",
            "  ninefs bench -w getattr -c 4 -d 16 --duration 10s tcp://127.0.0.1:5640/share",
            "  ninefs bench --null -c 4 -d 16        (the generator's own ceiling)",
            "", "Exit status: 0 clean run, 1 operations failed (or the run could not start), 2 bad usage."})
public final class BenchCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", arity = "0..1",
            description = "tcp://HOST:PORT/ANAME[/DIR] or unix:/SOCKET:/ANAME[/DIR] (not with --null).")
    String uri;

    @Option(names = {"-w", "--workload"}, paramLabel = "NAME", description = "What to do (default getattr).")
    String workload = "getattr";

    @Option(names = {"-c", "--connections"}, paramLabel = "N", description = "Connections (default 1).")
    int connections = 1;

    @Option(names = {"-d", "--depth"}, paramLabel = "D", description = "Requests in flight per connection (default 1).")
    int depth = 1;

    @Option(names = "--duration", paramLabel = "TIME", description = "Measured time: 10s, 500ms, 1m (default 10s).")
    String duration = "10s";

    @Option(names = "--warmup", paramLabel = "TIME", description = "Unmeasured time first (default 2s).")
    String warmup = "2s";

    @Option(names = "--msize", paramLabel = "BYTES", description = "msize to ask for (default 1M).")
    String msize = "1M";

    @Option(names = {"-b", "--block-size"}, paramLabel = "BYTES", description = "Read/write size (default 4k).")
    String blockSize = "4k";

    @Option(names = "--file-size", paramLabel = "BYTES", description = "Prepared file's size (default 64M).")
    String fileSize = "64M";

    @Option(names = "--random", description = "Random block offsets instead of sequential.")
    boolean random;

    @Option(names = "--entries", paramLabel = "N", description = "Files in the readdir directory (default 10000).")
    int entries = 10_000;

    @Option(names = "--aname", paramLabel = "ANAME",
            description = "Attach to ANAME and read the whole URI path as a directory inside it (diod's anames "
                    + "are paths).")
    String aname;

    @Option(names = "--user", paramLabel = "NAME", description = "uname to attach as (default: your user name).")
    String user;

    @Option(names = "--uid", paramLabel = "UID", description = "n_uname to attach as (default: your uid).")
    Integer uid;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id, when it runs on this machine: reports its CPU time per "
                    + "operation in the measured window (a figure that holds up on a busy machine).")
    Long serverPid;

    @Option(names = "--keep", description = "Keep the fixtures for later runs (they are reused when they fit).")
    boolean keep;

    @Option(names = "--null",
            description = "Run against an in-process null responder (canned replies, no file system).")
    boolean nullResponder;

    @Option(names = "--spin", paramLabel = "TIME",
            description = "How long a lane waiting alone for its reply polls the socket before it sleeps: 50us"
                    + " (the client library's default), 0 never (sleep at once).")
    String spin = "50us";

    @Option(names = "--json", description = "Print one line of JSON instead of text.")
    boolean json;

    @Option(names = "--quiet", description = "No progress messages on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchOptions options;
        try {
            options = options(nullResponder ? "tcp://127.0.0.1:0/null" : uri);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ProcessCpu cpu = null;
        if (serverPid != null) {
            cpu = new ProcessCpu(serverPid);
            try {
                cpu.nanos();
            } catch (IOException | RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--server-pid " + serverPid
                        + ": cannot read its CPU time (" + e.getMessage() + ")");
            }
        }
        BenchResult result;
        try {
            result = nullResponder ? againstNull(options, err)
                    : new BenchEngine(options, quiet ? null : err, cpu).run();
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            if (json) {
                out.println("{\"ok\":false,\"error\":" + Report.quote(String.valueOf(e.getMessage())) + "}");
            }
            return FAILED;
        }
        out.print(json ? Report.json(result) + System.lineSeparator() : Report.text(result));
        out.flush();
        if (!result.ok()) {
            err.println("bench: RUN FAILED: " + result.errorCount() + " operations failed"
                    + (result.deadLanes() > 0 ? ", " + result.deadLanes() + " lanes lost their connection" : ""));
        }
        return result.ok() ? 0 : FAILED;
    }

    private BenchResult againstNull(BenchOptions options, PrintWriter err) throws IOException, InterruptedException {
        try (NullResponder responder = NullResponder.start(Endpoint.parse("tcp://127.0.0.1:0"), options.msize(),
                options.fileSize(), options.entries())) {
            RemotePath there = new RemotePath(responder.endpoint().toString(), "null", List.of());
            BenchOptions against = withTarget(options, there);
            return new BenchEngine(against, quiet ? null : err).run();
        }
    }

    /** The options as parsed; IllegalArgumentException says what is wrong. */
    BenchOptions options(String location) {
        if (location == null) {
            throw new IllegalArgumentException("name the server to measure (URI), or use --null");
        }
        if (nullResponder && uri != null) {
            throw new IllegalArgumentException("--null measures the generator alone: give no URI");
        }
        RemotePath target = RemotePath.parse(location);
        if (aname != null) {
            List<String> names = new ArrayList<>();
            if (!target.aname().isEmpty()) {
                names.add(target.aname());
            }
            names.addAll(target.names());
            target = new RemotePath(target.endpoint(), aname, names);
        }
        return new BenchOptions(target, Workload.parse(workload), connections, depth, Units.duration(warmup),
                Units.duration(duration), Math.toIntExact(Units.size(msize)), Math.toIntExact(Units.size(blockSize)),
                Units.size(fileSize), random, entries, user != null ? user : System.getProperty("user.name", ""),
                uid != null ? uid : currentUid(), keep, Units.duration(spin));
    }

    private static BenchOptions withTarget(BenchOptions o, RemotePath target) {
        return new BenchOptions(target, o.workload(), o.connections(), o.depth(), o.warmup(), o.duration(),
                o.msize(), o.blockSize(), o.fileSize(), o.random(), o.entries(), o.uname(), o.uid(), o.keep(),
                o.spin());
    }

    /** The effective uid (owner of /proc/self), or -1 (no n_uname) when it cannot be known. */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
