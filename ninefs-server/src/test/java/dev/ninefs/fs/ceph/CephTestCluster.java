// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-node Ceph cluster for a test class, started and stopped by the project's own
 * {@code scripts/ceph-cluster.sh} (which installs Debian's packages when it may). Tests are skipped only when the
 * script reports that the packages are missing and cannot be installed here; any other failure fails them.
 */
final class CephTestCluster implements AutoCloseable {
    /** The script's exit status for "packages missing and not installable". */
    private static final int NO_PACKAGES = 3;
    private static final AtomicInteger DIRECTORIES = new AtomicInteger();

    private final Path script;
    private final Path dir;
    private final Map<String, String> env;
    private final long startMillis;
    private final CephFileSystem admin;

    private CephTestCluster(Path script, Path dir, Map<String, String> env, long startMillis) throws ErrnoException {
        this.script = script;
        this.dir = dir;
        this.env = env;
        this.startMillis = startMillis;
        this.admin = CephFileSystem.open(options("/"));
    }

    /** Starts a cluster (memstore, no mgr) for one test class. */
    static CephTestCluster start() throws Exception {
        return start(Map.of());
    }

    /** Starts a cluster with extra script settings (CEPH_CLUSTER_MGR=1, CEPH_CLUSTER_STORE=bluestore...). */
    static CephTestCluster start(Map<String, String> settings) throws Exception {
        Path script = findScript();
        Path dir = Path.of("/tmp", "nf-ceph-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        var command = new ProcessBuilder(script.toString(), "start", dir.toString());
        command.environment().putAll(settings);
        // if this JVM dies without stopping the cluster (a crash in native code), the script's watchdog does
        command.environment().put("CEPH_CLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        Path stderr = Files.createTempFile("ceph-cluster", ".err");
        command.redirectError(stderr.toFile());
        Process process = command.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("ceph-cluster.sh start did not finish in 300 s");
        }
        String err = Files.readString(stderr);
        Files.delete(stderr);
        System.err.print(err); // the script's own report: install time, start time
        if (process.exitValue() == NO_PACKAGES) {
            Assumptions.abort("Ceph packages are missing and cannot be installed here: " + err.strip());
        }
        if (process.exitValue() != 0) {
            fail("ceph-cluster.sh start failed (" + process.exitValue() + "):\n" + err);
        }
        Map<String, String> env = new HashMap<>();
        for (String line : out.split("\n")) {
            String kv = line.startsWith("export ") ? line.substring(7) : line;
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        long millis = Long.parseLong(Files.readString(dir.resolve("start-ms")).strip());
        System.out.println("ceph cluster " + dir + " active after " + millis + " ms " + settings);
        return new CephTestCluster(script, dir, env, millis);
    }

    Path conf() {
        return Path.of(env.get("CEPH_CONF"));
    }

    String fsName() {
        return env.get("CEPH_FS_NAME");
    }

    Path dir() {
        return dir;
    }

    long startMillis() {
        return startMillis;
    }

    /** Options that export {@code path} of the cluster's filesystem, passthrough. */
    CephOptions options(String path) {
        return new CephOptions(conf(), "admin", null, null, fsName(), path, CephOptions.SecurityModel.PASSTHROUGH,
                Duration.ofSeconds(20), false, 0600, 0700);
    }

    /**
     * A new, empty directory at the top of the filesystem, mode 0777, with a quota when {@code quotaBytes} is
     * positive (libcephfs then reports the quota and its usage as statfs of a mount there, no mgr needed). Returns
     * its path.
     */
    String newDirectory(String prefix, long quotaBytes) throws ErrnoException {
        return "/" + newDirectory(admin, prefix, quotaBytes);
    }

    /** A new, empty directory, mode 0777, in the root of {@code export}; returns its name. */
    static String newDirectory(CephFileSystem export, String prefix, long quotaBytes) throws ErrnoException {
        String name = prefix + "-" + DIRECTORIES.incrementAndGet();
        CephClient client = export.client();
        try (var made = new Held(client.mkdir(export.rootInode(), name, 0777, null).inode())) {
            client.setattr(made.ref(), CephStatx.SET_MODE,
                    stx -> stx.set(java.lang.foreign.ValueLayout.JAVA_SHORT, CephStatx.MODE, (short) 0777));
            if (quotaBytes > 0) {
                client.setxattr(made.ref(), "ceph.quota.max_bytes",
                        Long.toString(quotaBytes).getBytes(StandardCharsets.US_ASCII), 0);
            }
        }
        return name;
    }

    /** The gateway's admin export of the whole filesystem. */
    CephFileSystem admin() {
        return admin;
    }

    @Override
    public void close() throws IOException {
        admin.close();
        Process stop = new ProcessBuilder(script.toString(), "stop", dir.toString()).redirectErrorStream(true).start();
        String out = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!stop.waitFor(60, TimeUnit.SECONDS) || stop.exitValue() != 0) {
                fail("ceph-cluster.sh stop failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the cluster", e);
        }
        System.err.print(out);
    }

    private static Path findScript() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path script = at.resolve("scripts/ceph-cluster.sh");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException("scripts/ceph-cluster.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** An inode reference released at the end of a try block. */
    private record Held(InodeRef ref) implements AutoCloseable {
        @Override
        public void close() {
            ref.release();
        }
    }
}
