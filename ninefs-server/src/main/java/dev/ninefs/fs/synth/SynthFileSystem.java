// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * An in-memory file system with POSIX behaviour: owners and permission checks, hard links, symlinks, rename(2)
 * semantics, unlinked-but-open files, nanosecond times, xattrs, byte-range locks, a capacity that runs out, and
 * directory offsets that stay valid while entries come and go. Thread-safe: see {@link Store} for the locking.
 *
 * <pre>{@code
 * SynthFileSystem fs = SynthFileSystem.builder()
 *         .capacity(256L << 20)
 *         .contents(root -> root.file("hello", "hi\n").dir("docs", d -> d.symlink("latest", "../hello")))
 *         .build();
 * }</pre>
 */
public final class SynthFileSystem implements FileSystem {
    private static final AtomicLong DEVICES = new AtomicLong();

    final Store store;
    final Namespace namespace;
    private final boolean readOnly;
    private volatile boolean closed;

    private SynthFileSystem(Store store, boolean readOnly) {
        this.store = store;
        this.namespace = new Namespace(store);
        this.readOnly = readOnly;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An empty, writable file system with the defaults of {@link Builder}. */
    public static SynthFileSystem create() {
        return builder().build();
    }

    /** The root, acting for {@code user}; a user without a uid acts as root (uid 0). */
    @Override
    public Node attach(User user) throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EIO, "file system closed");
        }
        int uid = user.uid() == User.NO_UID ? 0 : user.uid();
        store.root.retain();
        return new SynthNode(this, uid, store.root, null);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** Memory only. */
    @Override
    public boolean quickCalls() {
        return true;
    }

    /** Another export of the same files that refuses every change with EROFS. */
    public SynthFileSystem readOnlyView() {
        return new SynthFileSystem(store, true);
    }

    /** Adds files to the root directory, ignoring permissions and the read-only flag. */
    public void populate(Consumer<SynthTree> contents) {
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            contents.accept(new SynthTree(store, store.root, store.root.uid, store.root.gid));
        } finally {
            lock.unlock();
        }
    }

    /** The st_dev of every file. */
    public long dev() {
        return store.dev;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The settings of a new synth file system. */
    public static final class Builder {
        private long capacity = 1L << 30;
        private long maxInodes = 1L << 20;
        private long maxFileSize = 1L << 40;
        private long dev = -1;
        private boolean readOnly;
        private int rootMode = 0755;
        private int rootUid;
        private int rootGid;
        private final Map<Integer, Set<Integer>> groups = new HashMap<>();
        private Consumer<SynthTree> contents = tree -> {};

        private Builder() {}

        /** Bytes of file content it holds before ENOSPC (default 1 GiB), counted in 4 KiB blocks. */
        public Builder capacity(long bytes) {
            this.capacity = bytes;
            return this;
        }

        /** Files it holds, the root included, before ENOSPC (default 1 Mi). */
        public Builder maxInodes(long count) {
            this.maxInodes = count;
            return this;
        }

        /** The largest file size: writing or truncating beyond it is EFBIG (default 1 TiB). */
        public Builder maxFileSize(long bytes) {
            this.maxFileSize = bytes;
            return this;
        }

        /** The st_dev of its files (default: a distinct anonymous device number per file system). */
        public Builder dev(long dev) {
            this.dev = dev;
            return this;
        }

        /** Whether every change is refused with EROFS (the contents are still added). */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** The root directory's permission bits (default 0755). */
        public Builder rootMode(int mode) {
            this.rootMode = mode;
            return this;
        }

        /** The root directory's owner (default root:root); also the default owner of {@link #contents}. */
        public Builder rootOwner(int uid, int gid) {
            this.rootUid = uid;
            this.rootGid = gid;
            return this;
        }

        /** Makes user {@code uid} a member of {@code gids}, for the group permission bits. */
        public Builder groups(int uid, int... gids) {
            Set<Integer> of = groups.computeIfAbsent(uid, u -> new HashSet<>());
            for (int gid : gids) {
                of.add(gid);
            }
            return this;
        }

        /** What the root directory holds at the start. */
        public Builder contents(Consumer<SynthTree> contents) {
            this.contents = contents;
            return this;
        }

        public SynthFileSystem build() {
            if (maxFileSize < 0) {
                throw new IllegalArgumentException("max file size " + maxFileSize);
            }
            long device = dev >= 0 ? dev : Special.makedev(0, 0x9f00 + DEVICES.getAndIncrement());
            Store store = new Store(device, new Space(capacity, maxInodes), new Access(groups), maxFileSize,
                    rootMode, rootUid, rootGid);
            SynthFileSystem writable = new SynthFileSystem(store, false);
            writable.populate(contents);
            return readOnly ? writable.readOnlyView() : writable;
        }
    }
}
