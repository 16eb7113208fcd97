// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Builds synthetic content in one directory of a synth file system: files with given bytes, sparse files,
 * directories and symlinks, owned by {@link #owner}'s ids (the root's to begin with). Used while the file system is
 * being populated, under its tree lock; permissions and the read-only flag do not apply. A name that exists is an
 * {@link IllegalArgumentException}; running out of space an {@link UncheckedIOException} carrying ENOSPC.
 */
public final class SynthTree {
    private final Store store;
    private final Directory dir;
    private int uid;
    private int gid;

    SynthTree(Store store, Directory dir, int uid, int gid) {
        this.store = store;
        this.dir = dir;
        this.uid = uid;
        this.gid = gid;
    }

    /** Owns what is added next (here and in directories added next) by {@code uid} and {@code gid}. */
    public SynthTree owner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    /** A regular file with mode 0644. */
    public SynthTree file(String name, byte[] data) {
        return file(name, 0644, data);
    }

    /** A regular file holding {@code text} in UTF-8, mode 0644. */
    public SynthTree file(String name, String text) {
        return file(name, 0644, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file with the given permission bits. */
    public SynthTree file(String name, int mode, byte[] data) {
        RegularFile file = (RegularFile) add(name, FileId.S_IFREG | (mode & 07777),
                (ino, m, u, g, now) -> new RegularFile(ino, m, u, g, now, store.space));
        try {
            file.content.write(0, ByteBuffer.wrap(data));
        } catch (ErrnoException e) {
            throw new UncheckedIOException("synth content " + name, e);
        }
        if (file.size() < data.length) {
            throw new UncheckedIOException("synth content " + name, new ErrnoException(Errno.ENOSPC));
        }
        return this;
    }

    /** A regular file of {@code size} bytes that all read as zero and take no space (a hole). */
    public SynthTree sparseFile(String name, long size) {
        if (size < 0 || size > store.maxFileSize) {
            throw new IllegalArgumentException("sparse file size " + size);
        }
        RegularFile file = (RegularFile) add(name, FileId.S_IFREG | 0644,
                (ino, m, u, g, now) -> new RegularFile(ino, m, u, g, now, store.space));
        file.content.truncate(size);
        return this;
    }

    /** A directory with mode 0755, filled by {@code contents}. */
    public SynthTree dir(String name, Consumer<SynthTree> contents) {
        return dir(name, 0755, contents);
    }

    /** A directory with the given permission bits, filled by {@code contents}. */
    public SynthTree dir(String name, int mode, Consumer<SynthTree> contents) {
        Directory sub = (Directory) add(name, FileId.S_IFDIR | (mode & 07777), Directory::new);
        contents.accept(new SynthTree(store, sub, uid, gid));
        return this;
    }

    /** A symlink to {@code target}, stored as given. */
    public SynthTree symlink(String name, String target) {
        add(name, FileId.S_IFLNK | 0777, (ino, m, u, g, now) -> new Symlink(ino, m, u, g, now, target));
        return this;
    }

    private Inode add(String name, int mode, Namespace.Factory factory) {
        try {
            Namespace.checkName(name);
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("bad name \"" + name + "\": " + e.getMessage(), e);
        }
        if (dir.lookup(name) != null) {
            throw new IllegalArgumentException(name + " exists");
        }
        Inode inode;
        try {
            inode = store.allocate((ino, now) -> factory.make(ino, mode, uid, gid, now), Timestamp.now());
        } catch (ErrnoException e) {
            throw new UncheckedIOException("synth inode " + name, e);
        }
        inode.nlink = inode.isDirectory() ? 2 : 1;
        dir.add(name, inode);
        if (inode.isDirectory()) {
            dir.nlink++;
        }
        return inode;
    }
}
