// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test decorator whose getattr blocks, for files whose name has a {@link Gate}, until the test opens the gate:
 * the way to hold requests in flight for the Tflush, ordering and backpressure tests. fsync can have a gate of its
 * own ({@link #gateFsync}): the one call a quick export may take long for. It also records the threads getattr and write run on, and can claim that its calls are quick
 * ({@link FileSystem#quickCalls}).
 */
final class GatedFileSystem extends ForwardingFileSystem {
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final boolean quick;
    private volatile Gate fsyncGate;
    final List<Thread> getattrThreads = new CopyOnWriteArrayList<>();
    final List<Thread> writeThreads = new CopyOnWriteArrayList<>();

    GatedFileSystem(FileSystem delegate) {
        this(delegate, false);
    }

    GatedFileSystem(FileSystem delegate, boolean quick) {
        super(delegate);
        this.quick = quick;
    }

    @Override
    public boolean quickCalls() {
        return quick;
    }

    /** The thread of the latest getattr. */
    Thread lastGetattrThread() {
        return getattrThreads.getLast();
    }

    /** A gate for getattr of files named {@code name}. */
    Gate gate(String name, boolean interruptible) {
        Gate g = new Gate(interruptible);
        gates.put(name, g);
        return g;
    }

    /** A gate for fsync of any open file. */
    Gate gateFsync(boolean interruptible) {
        Gate g = new Gate(interruptible);
        fsyncGate = g;
        return g;
    }

    @Override
    protected Node wrap(Node root) {
        return new GatedNode(root, "/");
    }

    static final class Gate {
        final boolean interruptible;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        Gate(boolean interruptible) {
            this.interruptible = interruptible;
        }

        void open() {
            open.countDown();
        }

        boolean awaitEntered() throws InterruptedException {
            return entered.await(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        boolean awaitInterrupted() throws InterruptedException {
            return interrupted.await(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        void pass() throws ErrnoException {
            entered.countDown();
            while (true) {
                try {
                    open.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    if (interruptible) {
                        throw new ErrnoException(Errno.EINTR, "interrupted at the gate", e);
                    }
                    // Uninterruptible: like a backend in a system call that runs to its end.
                }
            }
        }
    }

    private final class GatedNode extends ForwardingNode {
        private final String name;

        GatedNode(Node delegate, String name) {
            super(delegate);
            this.name = name;
        }

        @Override
        protected Node wrap(Node node) {
            return new GatedNode(node, name);
        }

        @Override
        protected OpenFile wrap(OpenFile file) {
            return new ForwardingOpenFile(file) {
                @Override
                public void fsync(boolean dataOnly) throws ErrnoException {
                    Gate g = fsyncGate;
                    if (g != null) {
                        g.pass();
                    }
                    super.fsync(dataOnly);
                }

                @Override
                public int write(long offset, ByteBuffer src) throws ErrnoException {
                    writeThreads.add(Thread.currentThread());
                    return super.write(offset, src);
                }
            };
        }

        @Override
        public Node walk(String child) throws ErrnoException {
            return new GatedNode(delegate().walk(child), child);
        }

        @Override
        public Attr getattr() throws ErrnoException {
            getattrThreads.add(Thread.currentThread());
            Gate g = gates.get(name);
            if (g != null) {
                g.pass();
            }
            return super.getattr();
        }
    }
}
