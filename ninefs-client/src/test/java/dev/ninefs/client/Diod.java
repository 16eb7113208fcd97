// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real diod (the 9P2000.L server in C from the Debian package) exporting a temporary directory on
 * 127.0.0.1 and a free port, without authentication. Stopped by its PID.
 */
final class Diod implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/diod");
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path export;
    private final Path log;
    private final Path workDir;

    private Diod(Process process, int port, Path export, Path log, Path workDir) {
        this.process = process;
        this.port = port;
        this.export = export;
        this.log = log;
        this.workDir = workDir;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts diod on a free port, exporting {@code export}; returns once it accepts connections. */
    static Diod start(Path export, Path logDir) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // another process may take the port between probe and bind
            int port = freePort();
            Path log = logDir.resolve("diod-" + port + ".log");
            // diod raises its own core limit and 1.0.24 sometimes crashes on SIGTERM: run it in a scratch
            // directory (core_pattern is usually a relative "core"), deleted when it stops, never the source tree.
            Path workDir = Files.createTempDirectory("ninefs-diod-run");
            Process p = new ProcessBuilder(List.of(BINARY.toString(), "-f", "-n", "-c", "/dev/null", "-L", "stderr",
                    "-l", "127.0.0.1:" + port, "-e", export.toString()))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Diod diod = new Diod(p, port, export, log, workDir);
            try {
                diod.awaitListening();
                return diod;
            } catch (IOException e) {
                diod.close();
                last = e;
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls connect until diod accepts, it dies, or the deadline passes. */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("diod exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException refused) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("diod did not listen on port " + port + " within " + STARTUP, refused);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval, bounded by the deadline
            }
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The aname to attach with: diod names an export by its path. */
    String aname() {
        return export.toString();
    }

    Path export() {
        return export;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM to this PID only
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(workDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + workDir + ": " + e);
        }
    }
}
