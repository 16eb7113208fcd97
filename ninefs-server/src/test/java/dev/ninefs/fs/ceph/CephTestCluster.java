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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Ceph cluster for a test class, started and stopped by the project's own
 * {@code scripts/ceph-cluster.sh} (which installs Debian's packages when it may). A test class registers one as an
 * extension ({@code @RegisterExtension static final CephTestCluster cluster = CephTestCluster.perClass();}): it
 * starts before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll} methods. Tests are
 * skipped only when the script reports that the packages are missing and cannot be installed here; any other
 * failure fails them.
 */
final class CephTestCluster implements BeforeAllCallback, AfterAllCallback {
    /** The script's exit status for "packages missing and not installable". */
    private static final int NO_PACKAGES = 3;
    private static final AtomicInteger DIRECTORIES = new AtomicInteger();

    private final Map<String, String> settings;
    private volatile Running running;

    /** A started cluster: its script and directory, the environment the script printed, the admin mount. */
    private record Running(Path script, Path dir, Map<String, String> env, long startMillis, CephFileSystem admin) {}

    private CephTestCluster(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** A cluster (memstore, no mgr) for each test class that registers it. */
    static CephTestCluster perClass() {
        return perClass(Map.of());
    }

    /** A cluster with extra script settings (CEPH_CLUSTER_MGR=1, CEPH_CLUSTER_STORE=bluestore...). */
    static CephTestCluster perClass(Map<String, String> settings) {
        return new CephTestCluster(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        running = start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Running r = running;
        running = null;
        if (r != null) {
            stop(r);
        }
    }

    private static Running start(Map<String, String> settings) throws Exception {
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
        Running started = new Running(script, dir, env, millis, null);
        try {
            return new Running(script, dir, env, millis, CephFileSystem.open(options(started, "/")));
        } catch (ErrnoException | RuntimeException e) {
            stop(started);
            throw e;
        }
    }

    private Running running() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("no cluster: register it with @RegisterExtension on a static field");
        }
        return r;
    }

    Path conf() {
        return conf(running());
    }

    String fsName() {
        return fsName(running());
    }

    Path dir() {
        return running().dir();
    }

    long startMillis() {
        return running().startMillis();
    }

    /** Options that export {@code path} of the cluster's filesystem, passthrough. */
    CephOptions options(String path) {
        return options(running(), path);
    }

    private static Path conf(Running r) {
        return Path.of(r.env().get("CEPH_CONF"));
    }

    private static String fsName(Running r) {
        return r.env().get("CEPH_FS_NAME");
    }

    private static CephOptions options(Running r, String path) {
        return new CephOptions(conf(r), "admin", null, null, fsName(r), path, CephOptions.SecurityModel.PASSTHROUGH,
                Duration.ofSeconds(20), false, 0600, 0700);
    }

    /**
     * A new, empty directory at the top of the filesystem, mode 0777, with a quota when {@code quotaBytes} is
     * positive (libcephfs then reports the quota and its usage as statfs of a mount there, no mgr needed). Returns
     * its path.
     */
    String newDirectory(String prefix, long quotaBytes) throws ErrnoException {
        return "/" + newDirectory(admin(), prefix, quotaBytes);
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
        return running().admin();
    }

    private static void stop(Running r) throws IOException {
        if (r.admin() != null) {
            r.admin().close();
        }
        Process stop = new ProcessBuilder(r.script().toString(), "stop", r.dir().toString()).redirectErrorStream(true)
                .start();
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
