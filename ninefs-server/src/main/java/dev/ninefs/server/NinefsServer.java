// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.transport.Spin;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.transport.Endpoint;
import dev.ninefs.transport.FrameChannel;
import dev.ninefs.transport.Listener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A 9P2000.L server: named exports served over any number of listeners and single channels.
 *
 * <pre>{@code
 * try (NinefsServer server = NinefsServer.builder().export("share", fs, false).build()) {
 *     Endpoint bound = server.listen(Endpoint.parse("tcp://127.0.0.1:5640"));
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Each connection gets a virtual reader thread and a virtual thread per request. {@link #close} stops the
 * listeners, cuts the connections (requests in flight are cancelled), clunks every fid, so that every node and
 * open file is closed exactly once, and then closes each export's file system.
 */
public final class NinefsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NinefsServer.class.getPackageName());

    /** The default largest msize: 1 MiB of frame. */
    public static final int DEFAULT_MAX_MSIZE = 1 << 20;
    /** The smallest msize a client may negotiate and the smallest maximum a server may have. */
    public static final int MIN_MSIZE = Session.MIN_MSIZE;
    /** Default fids per connection: enough for a client holding 100,000 open files. */
    public static final int DEFAULT_MAX_FIDS = 1_000_000;
    /** Default requests in flight per connection (a Linux virtio client has at most 128). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    private final ServerConfig config;
    private final AtomicLong connectionIds = new AtomicLong();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private boolean closed;

    private NinefsServer(ServerConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Listens on {@code endpoint} and serves what connects; returns the endpoint bound (the real port for 0). */
    public Endpoint listen(Endpoint endpoint) throws IOException {
        Listener listener = endpoint.listen();
        serve(listener);
        return listener.endpoint();
    }

    /** Serves every connection {@code listener} accepts, on a background thread, until {@link #close}. */
    public void serve(Listener listener) {
        Thread acceptor = Thread.ofVirtual().name("ninefs-accept " + listener.endpoint()).unstarted(
                () -> acceptLoop(listener));
        synchronized (this) {
            if (closed) {
                closeQuietly(listener);
                throw new IllegalStateException("server closed");
            }
            listeners.add(listener);
            acceptors.add(acceptor);
        }
        acceptor.start();
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "serving {0} on {1}", config.exports().values().stream()
                    .map(e -> "'" + e.name() + "'" + (e.readOnly() ? " (read-only)" : "")).toList(), listener.endpoint());
        }
    }

    /** Serves one already connected channel (an fd pair, a test's socket); returns at once. */
    public Connection serve(FrameChannel channel) {
        Session session = new Session(connectionIds.incrementAndGet(), channel, config, sessions::remove);
        synchronized (this) {
            if (closed) {
                closeQuietly(channel);
                throw new IllegalStateException("server closed");
            }
            sessions.add(session);
        }
        session.start();
        return session;
    }

    private void acceptLoop(Listener listener) {
        int failures = 0;
        while (true) {
            FrameChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (isClosed()) {
                    return;
                }
                // EMFILE and the like: keep the listener, back off so as not to spin.
                LOG.log(Level.WARNING, "accept on {0}: {1}", listener.endpoint(), e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(1000, 10L << Math.min(failures++, 6))));
                continue;
            }
            if (channel == null) {
                return;
            }
            failures = 0;
            try {
                serve(channel);
            } catch (IllegalStateException e) {
                return;
            }
        }
    }

    /** The exports by aname. */
    public Map<String, Export> exports() {
        return config.exports();
    }

    public int maxMsize() {
        return config.maxMsize();
    }

    /** Connections being served now. */
    public int connections() {
        return sessions.size();
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops listening, ends every connection and closes the exports. Idempotent; blocks until done. */
    @Override
    public void close() {
        List<Listener> toClose;
        List<Thread> toJoin;
        boolean interrupted = false;
        synchronized (this) {
            if (closed) {
                toClose = null;
                toJoin = null;
            } else {
                closed = true;
                toClose = List.copyOf(listeners);
                toJoin = List.copyOf(acceptors);
            }
        }
        if (toClose == null) {
            // Another thread is closing: wait for it, as promised.
            while (terminated.getCount() > 0) {
                try {
                    terminated.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        toClose.forEach(NinefsServer::closeQuietly);
        for (Thread t : toJoin) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        List<Session> open = List.copyOf(sessions);
        open.forEach(Session::close);
        for (Session s : open) {
            while (true) {
                try {
                    s.awaitClosed();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        Set<FileSystem> fileSystems = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Export e : config.exports().values()) {
            if (fileSystems.add(e.fileSystem())) {
                try {
                    e.fileSystem().close();
                } catch (RuntimeException x) {
                    LOG.log(Level.ERROR, "closing export " + e.name(), x);
                }
            }
        }
        terminated.countDown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing {0}: {1}", c, e.toString());
        }
    }

    /** Configures a {@link NinefsServer}. */
    public static final class Builder {
        private final Map<String, Export> exports = new LinkedHashMap<>();
        private int maxMsize = DEFAULT_MAX_MSIZE;
        private int maxFids = DEFAULT_MAX_FIDS;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration spin = Spin.DEFAULT;

        private Builder() {}

        /** Exports {@code fileSystem} under {@code aname}, writable unless the file system says it is read-only. */
        public Builder export(String aname, FileSystem fileSystem) {
            return export(Export.of(aname, fileSystem, false));
        }

        /** Exports {@code fileSystem} under {@code aname}; {@code readOnly} makes every change EROFS. */
        public Builder export(String aname, FileSystem fileSystem, boolean readOnly) {
            return export(Export.of(aname, fileSystem, readOnly));
        }

        /** Adds an export. The first one added is also what an attach with an empty aname gets. */
        public Builder export(Export export) {
            if (exports.putIfAbsent(export.name(), export) != null) {
                throw new IllegalArgumentException("two exports named '" + export.name() + "'");
            }
            return this;
        }

        /** The largest msize a client may negotiate (at least 4096; default 1 MiB). */
        public Builder maxMsize(int bytes) {
            if (bytes < MIN_MSIZE) {
                throw new IllegalArgumentException("msize " + bytes + " is below " + MIN_MSIZE);
            }
            this.maxMsize = bytes;
            return this;
        }

        /** How many fids one connection may hold (EMFILE beyond; default 1,000,000). */
        public Builder maxFids(int fids) {
            if (fids < 1) {
                throw new IllegalArgumentException("maxFids " + fids);
            }
            this.maxFids = fids;
            return this;
        }

        /** How many requests one connection may have running before the server stops reading it (default 1024). */
        public Builder maxInFlight(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("maxInFlight " + requests);
            }
            this.maxInFlight = requests;
            return this;
        }

        /**
         * How long the reader of a client that sends one request at a time polls for the next one before it sleeps
         * (0 to 1 ms, default 50 us; 0 never polls). See {@link Spin}: it saves the wake-up of an idle CPU per
         * request, at the cost of the CPU time polled, adaptively and bounded.
         */
        public Builder spin(Duration spin) {
            this.spin = Spin.check(spin);
            return this;
        }

        public NinefsServer build() {
            if (exports.isEmpty()) {
                throw new IllegalStateException("no exports");
            }
            Export first = exports.values().iterator().next();
            return new NinefsServer(new ServerConfig(exports, first, maxMsize, maxFids, maxInFlight, spin));
        }
    }
}
