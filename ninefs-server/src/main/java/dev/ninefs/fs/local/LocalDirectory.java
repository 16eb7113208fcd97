// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.local.posix.Dirents;
import dev.ninefs.fs.local.posix.Fd;
import dev.ninefs.fs.local.posix.PosixIo;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A directory of a local export, open for listing. Offsets are the file system's own d_off cookies: each call
 * seeks the descriptor to the cookie of the last entry the client took and reads on with getdents64, so a listing
 * continues correctly however its calls are spread and while entries come and go (as far as the host file
 * system's telldir guarantees go, which ext4, xfs, btrfs and tmpfs keep).
 */
final class LocalDirectory extends LocalOpenFile {
    private final long dev;
    private final boolean root;

    LocalDirectory(LocalFileSystem fs, FileKey key, Fd io, long dev, boolean root) {
        super(fs, key, io, Dotl.O_RDONLY);
        this.dev = dev;
        this.root = root;
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        Model model = fs.model();
        // One listing at a time per open directory: the seek and the read share the descriptor's position.
        synchronized (this) {
            try (Fd.Use u = io.use(); Arena arena = Arena.ofConfined(); Model.Dtypes dtypes = model.dtypes(u.fd())) {
                PosixIo.seek(u.fd(), offset);
                MemorySegment buffer = arena.allocate(Dirents.BUFFER_SIZE, 8);
                Dirents.Cursor c = new Dirents.Cursor();
                while (true) {
                    int n = PosixIo.getdents64(u.fd(), buffer);
                    if (n == 0) {
                        return;
                    }
                    c.reset(buffer, n);
                    while (c.next()) {
                        String name = c.name();
                        if (model.reserved(name)) {
                            continue;
                        }
                        // The root's ".." is the root itself: the host's parent is not the client's business.
                        long ino = root && c.isDotDot() ? key.ino() : c.ino();
                        if (!sink.accept(new DirEntry(name, dev, ino, dtypes.of(name, c.type()), c.offset()))) {
                            return;
                        }
                    }
                }
            }
        }
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        throw new ErrnoException(Errno.EISDIR, "read of a directory");
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        throw new ErrnoException(Errno.EISDIR, "write to a directory");
    }
}
