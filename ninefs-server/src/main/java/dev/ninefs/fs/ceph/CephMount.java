// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One libcephfs client ({@code struct ceph_mount_info}), mounted on one directory of one filesystem.
 *
 * <p>Any call on a released handle crashes the JVM, so every call goes through {@link #call}: it holds a read lock
 * for the duration of the native call, and refuses with EIO once {@link #close} has taken the write lock, unmounted
 * and released the handle. Calls never outlive the handle.
 */
final class CephMount implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CephMount.class.getName());
    /** Numbers this process's mounts, so that each gets its own admin socket and log file. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Longest sun_path of a Unix socket, minus the NUL. */
    private static final int SUN_PATH_MAX = 107;
    /** libcephfs's own failures of ceph_mount, outside errno's range. */
    private static final int CEPHFS_ERROR_MON_MAP_BUILD = 1000;

    /** A native call made with the mount handle. */
    @FunctionalInterface
    interface Call {
        int invoke(MemorySegment cmount) throws Throwable;
    }

    private final MemorySegment cmount;
    private final String description;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean released; // guarded by lock

    private CephMount(MemorySegment cmount, String description) {
        this.cmount = cmount;
        this.description = description;
    }

    /**
     * Creates a client, configures it from {@code options} and mounts {@code options.path()}. Fails with a message
     * that says what is wrong: libcephfs missing, configuration unreadable, cluster unreachable within the timeout,
     * no such filesystem or path, access refused. Runs on a thread with a full-size stack ({@link SetupStack}).
     */
    static CephMount connect(CephOptions options) throws ErrnoException {
        LibCephFs.require();
        if (options.conf() != null && !Files.isReadable(options.conf())) {
            throw new ErrnoException(Errno.ENOENT, "cephfs: cannot read the Ceph configuration " + options.conf());
        }
        return SetupStack.run("cephfs-connect", () -> connectHere(options));
    }

    private static CephMount connectHere(CephOptions options) throws ErrnoException {
        MemorySegment cmount = create(options.id());
        try {
            configure(cmount, options);
        } catch (ErrnoException | RuntimeException e) {
            release(cmount);
            throw e;
        }
        String where = (options.fsName() == null ? "cephfs" : options.fsName()) + ":" + options.path();
        try {
            mountWithin(cmount, options, where);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENOENT ? missing(options) : e;
        }
        return new CephMount(cmount, where);
    }

    /** Tells a missing path from a missing filesystem: both make ceph_mount fail with ENOENT. */
    private static ErrnoException missing(CephOptions options) {
        String fs = options.fsName() == null ? "the default filesystem" : "filesystem " + options.fsName();
        var noFilesystem = new ErrnoException(Errno.ENOENT, "cephfs: " + fs + " does not exist in the cluster");
        if (options.path().equals("/")) {
            return noFilesystem;
        }
        try {
            connect(options.withPath("/")).close();
            return new ErrnoException(Errno.ENOENT, "cephfs: path does not exist: " + options.path() + " in " + fs);
        } catch (ErrnoException e) {
            return e.errno() == Errno.ENOENT ? noFilesystem : e;
        }
    }

    /** Runs {@code call} on the mounted handle; a negative result becomes an ErrnoException naming {@code what}. */
    int call(String what, Call call) throws ErrnoException {
        int rc = callRaw(what, call);
        if (rc < 0) {
            throw error(-rc, what);
        }
        return rc;
    }

    /** Runs {@code call} on the mounted handle and returns its result, negative or not. */
    int callRaw(String what, Call call) throws ErrnoException {
        lock.readLock().lock();
        try {
            if (released) {
                throw new ErrnoException(Errno.EIO, "cephfs: " + what + " after the mount of " + description + " was released");
            }
            return call.invoke(cmount);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cephfs: " + what + " failed unexpectedly", t);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a release-type call (put, close) if the mount is still there; after release the call is moot. */
    void releaseCall(String what, Call call) {
        try {
            lock.readLock().lock();
            try {
                if (!released) {
                    int rc = call.invoke(cmount);
                    if (rc < 0) {
                        LOG.log(Level.DEBUG, () -> "cephfs: " + what + ": errno " + -rc);
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "cephfs: " + what + " failed", t);
        }
    }

    boolean released() {
        lock.readLock().lock();
        try {
            return released;
        } finally {
            lock.readLock().unlock();
        }
    }

    String description() {
        return description;
    }

    /** Waits for calls in flight, then unmounts and releases the handle. Later calls fail with EIO. */
    @Override
    public void close() {
        boolean locked;
        try {
            locked = lock.writeLock().tryLock(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            // A call is stuck in the library: releasing under it would crash the JVM, so leak the client instead.
            LOG.log(Level.WARNING, () -> "cephfs: calls still running on " + description + " after 60 s; leaving the client mounted");
            return;
        }
        try {
            if (released) {
                return;
            }
            released = true;
            unmountAndRelease(cmount);
        } finally {
            lock.writeLock().unlock();
        }
    }

    static ErrnoException error(int errno, String what) {
        return new ErrnoException(errno, "cephfs: " + what + ": " + Errno.of(errno));
    }

    private static MemorySegment create(String id) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment idString = id == null ? MemorySegment.NULL : arena.allocateFrom(id);
            int rc = (int) LibCephFs.CREATE.invokeExact(out, idString);
            if (rc < 0) {
                throw error(-rc, "ceph_create");
            }
            return out.get(ADDRESS, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ceph_create", t);
        }
    }

    private static void configure(MemorySegment cmount, CephOptions options) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment conf = options.conf() == null ? MemorySegment.NULL : arena.allocateFrom(options.conf().toString());
            int rc = (int) LibCephFs.CONF_READ_FILE.invokeExact(cmount, conf);
            if (rc < 0) {
                throw new ErrnoException(-rc, "cephfs: cannot read the Ceph configuration "
                        + (options.conf() == null ? "(default search: $CEPH_CONF, /etc/ceph/ceph.conf)" : options.conf())
                        + ": " + Errno.of(-rc));
            }
            if (options.keyfile() != null) {
                set(cmount, "keyfile", options.keyfile().toString());
            }
            if (options.keyring() != null) {
                set(cmount, "keyring", options.keyring().toString());
            }
            long seconds = Math.max(1, options.mountTimeout().toSeconds());
            set(cmount, "client_mount_timeout", Long.toString(seconds));
            // Several mounts in one process (two exports, or two gateways in one test) must not share an admin
            // socket or a log file: a second client would fail to bind, or interleave its log with the first.
            String suffix = ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
            String socket = get(cmount, "admin_socket");
            if (!socket.isEmpty()) {
                String unique = withSuffix(socket, ".asok", suffix);
                set(cmount, "admin_socket", unique.length() <= SUN_PATH_MAX ? unique : "");
            }
            String log = get(cmount, "log_file");
            if (!log.isEmpty()) {
                set(cmount, "log_file", withSuffix(log, ".log", suffix));
            }
            if (get(cmount, "mon_host").isBlank()) {
                throw new ErrnoException(Errno.EINVAL, "cephfs: no monitor address (mon_host) in the Ceph configuration "
                        + (options.conf() == null ? "(default search: $CEPH_CONF, /etc/ceph/ceph.conf)" : options.conf()));
            }
            if (options.fsName() != null) {
                rc = (int) LibCephFs.SELECT_FILESYSTEM.invokeExact(cmount, arena.allocateFrom(options.fsName()));
                if (rc < 0) {
                    throw error(-rc, "ceph_select_filesystem(" + options.fsName() + ")");
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cephfs: configuring the client", t);
        }
    }

    static String withSuffix(String value, String extension, String suffix) {
        return value.endsWith(extension)
                ? value.substring(0, value.length() - extension.length()) + "." + suffix + extension
                : value + "." + suffix;
    }

    private static void set(MemorySegment cmount, String option, String value) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) LibCephFs.CONF_SET.invokeExact(cmount, arena.allocateFrom(option), arena.allocateFrom(value));
            if (rc < 0) {
                throw error(-rc, "ceph_conf_set(" + option + ")");
            }
        }
    }

    private static String get(MemorySegment cmount, String option) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            int rc = (int) LibCephFs.CONF_GET.invokeExact(cmount, arena.allocateFrom(option), buf, buf.byteSize());
            return rc < 0 ? "" : buf.getString(0);
        }
    }

    /**
     * ceph_mount on its own platform thread, so that a cluster that neither answers nor refuses cannot hold the
     * caller beyond the timeout. client_mount_timeout bounds the library's own wait; the extra grace covers what it
     * does not bound. A mount that completes after the caller gave up is unmounted and released then.
     */
    private static void mountWithin(MemorySegment cmount, CephOptions options, String where) throws ErrnoException {
        var result = new CompletableFuture<Integer>();
        var abandoned = new AtomicBoolean();
        String monHost;
        try {
            monHost = get(cmount, "mon_host");
        } catch (Throwable t) {
            monHost = "?";
        }
        SetupStack.start("cephfs-mount-" + where, () -> {
            int rc;
            try (Arena arena = Arena.ofConfined()) {
                rc = (int) LibCephFs.MOUNT.invokeExact(cmount, arena.allocateFrom(options.path()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            synchronized (abandoned) {
                if (abandoned.get()) {
                    if (rc == 0) {
                        unmountAndRelease(cmount);
                    } else {
                        release(cmount);
                    }
                    return;
                }
                result.complete(rc);
            }
        });
        long timeoutMillis = options.mountTimeout().toMillis();
        int rc;
        try {
            rc = result.get(timeoutMillis + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (abandoned) {
                if (!result.isDone()) {
                    abandoned.set(true);
                    throw unreachable(options, monHost);
                }
            }
            rc = result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (abandoned) {
                abandoned.set(true);
            }
            throw new ErrnoException(Errno.EINTR, "cephfs: interrupted while mounting " + where);
        } catch (ExecutionException e) {
            release(cmount);
            throw new IllegalStateException("cephfs: ceph_mount", e.getCause());
        }
        if (rc < 0) {
            release(cmount);
            throw mountError(-rc, options, where, monHost);
        }
    }

    private static ErrnoException mountError(int errno, CephOptions options, String where, String monHost) {
        Errno e = Errno.of(errno);
        if (errno == Errno.ETIMEDOUT.code() || errno == Errno.ECONNREFUSED.code()) {
            return unreachable(options, monHost);
        }
        if (errno == CEPHFS_ERROR_MON_MAP_BUILD) {
            return new ErrnoException(Errno.EIO, "cephfs: no monitor could be resolved from mon_host " + monHost);
        }
        return switch (e) {
            case ENOENT -> new ErrnoException(Errno.ENOENT, "cephfs: " + where + " does not exist");
            case ENOTDIR -> new ErrnoException(Errno.ENOTDIR, "cephfs: path is not a directory: " + options.path());
            case EACCES, EPERM -> new ErrnoException(e, "cephfs: the cluster refused the client "
                    + (options.id() == null ? "(default id)" : "client." + options.id()) + " access to " + where
                    + ": " + e + " (check id, keyfile, keyring and the client's caps)");
            default -> new ErrnoException(errno, "cephfs: mounting " + where + " failed: " + e + " (" + errno + ")");
        };
    }

    private static ErrnoException unreachable(CephOptions options, String monHost) {
        return new ErrnoException(Errno.ETIMEDOUT, "cephfs: cluster unreachable after "
                + options.mountTimeout().toSeconds() + " s (mon_host " + monHost + ")");
    }

    private static void unmountAndRelease(MemorySegment cmount) {
        try {
            int rc = (int) LibCephFs.UNMOUNT.invokeExact(cmount);
            if (rc < 0) {
                LOG.log(Level.WARNING, () -> "cephfs: ceph_unmount: " + Errno.of(-rc) + "; aborting the connection");
                int aborted = (int) LibCephFs.ABORT_CONN.invokeExact(cmount);
                LOG.log(Level.DEBUG, () -> "cephfs: ceph_abort_conn: " + aborted);
            }
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "cephfs: ceph_unmount", t);
        }
        release(cmount);
    }

    private static void release(MemorySegment cmount) {
        try {
            int rc = (int) LibCephFs.RELEASE.invokeExact(cmount);
            if (rc < 0) {
                LOG.log(Level.WARNING, () -> "cephfs: ceph_release: " + Errno.of(-rc));
            }
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "cephfs: ceph_release", t);
        }
    }
}
