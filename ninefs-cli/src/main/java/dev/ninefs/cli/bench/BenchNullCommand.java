// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.transport.Endpoint;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ninefs bench-null}: the null responder as a server of its own, to measure a generator against. */
@Command(name = "bench-null", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Answers every 9P2000.L request at once with a canned reply of the right type, touching no",
            "file system: the ceiling of a load generator (ninefs bench URI/null) on this machine.",
            "Runs until killed."})
public final class BenchNullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "URI", description = "tcp://HOST:PORT or unix:/PATH "
            + "(default tcp://127.0.0.1:5641).")
    String listen = "tcp://127.0.0.1:5641";

    @Option(names = "--msize", paramLabel = "BYTES", description = "Largest msize granted (default 1M).")
    String msize = "1M";

    @Option(names = "--file-size", paramLabel = "BYTES", description = "Size Rgetattr reports (default 64M).")
    String fileSize = "64M";

    @Option(names = "--entries", paramLabel = "N", description = "Entries of the fake directory (default 10000).")
    int entries = 10_000;

    @Override
    public Integer call() throws Exception {
        int max;
        long size;
        Endpoint endpoint;
        try {
            max = Math.toIntExact(Units.size(msize));
            size = Units.size(fileSize);
            endpoint = Endpoint.parse(listen);
            if (entries < 0) {
                throw new IllegalArgumentException("--entries must not be negative");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch forever = new CountDownLatch(1);
        try (NullResponder responder = NullResponder.start(endpoint, max, size, entries)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("bench-null: answering on " + responder.endpoint() + " (msize up to " + max + ")");
            out.flush();
            forever.await();
        }
        return 0;
    }
}
