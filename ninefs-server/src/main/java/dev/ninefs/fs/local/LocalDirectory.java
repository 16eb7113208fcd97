// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.posix.Dirents;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of a local export, open for listing. Offsets are the file system's own d_off cookies: each call
 * seeks the descriptor to the cookie of the last entry the client took and reads on with getdents64, so a listing
 * continues correctly however its calls are spread and while entries come and go (as far as the host file
 * system's telldir guarantees go, which ext4, xfs, btrfs and tmpfs keep).
 *
 * <p>A large directory's whole listing is read once and kept in the export's {@link ListingCache} until inotify
 * reports a change: the next listings are served from it, with the very same entries and cookies, so a client may
 * resume a cached listing uncached and the other way round.
 */
final class LocalDirectory extends LocalOpenFile {
    /** A first getdents64 from offset 0 this full (less than the largest record left) did not reach the end. */
    private static final int FULL = Dirents.BUFFER_SIZE - 280;

    private final long dev;
    private final boolean root;

    LocalDirectory(LocalFileSystem fs, FileKey key, Fd io, long dev, boolean root) {
        super(fs, key, io, Dotl.O_RDONLY);
        this.dev = dev;
        this.root = root;
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        ListingCache cache = fs.listings();
        if (cache != null) {
            Listing cached = cache.get(key);
            int from = cached == null ? -1 : cached.after(offset);
            if (from >= 0) {
                serve(cached, from, sink);
                return;
            }
        }
        // One listing at a time per open directory: the seek and the read share the descriptor's position.
        synchronized (this) {
            try (Fd.Use u = io.use(); Arena arena = Arena.ofConfined()) {
                PosixIo.seek(u.fd(), offset);
                MemorySegment buffer = arena.allocate(Dirents.BUFFER_SIZE, 8);
                int n = PosixIo.getdents64(u.fd(), buffer);
                if (cache != null && offset == 0 && n > FULL) {
                    // More than one buffer: large enough to keep. The watch goes on before the listing is read.
                    ListingCache.Ticket ticket = cache.begin(key, u.fd());
                    if (ticket != null) {
                        Listing fresh = readAll(u.fd(), buffer);
                        cache.store(ticket, fresh);
                        serve(fresh, 0, sink);
                        return;
                    }
                }
                list(u.fd(), buffer, n, sink);
            }
        }
    }

    /** Lists from where the descriptor stands, {@code n} bytes of getdents64 already in {@code buffer}. */
    private void list(int fd, MemorySegment buffer, int n, DirSink sink) throws ErrnoException {
        Model model = fs.model();
        try (Model.Dtypes dtypes = model.dtypes(fd)) {
            Dirents.Cursor c = new Dirents.Cursor();
            while (n > 0) {
                c.reset(buffer, n);
                while (c.next()) {
                    String name = c.name();
                    if (model.reserved(name)) {
                        continue;
                    }
                    if (!sink.accept(new DirEntry(name, dev, ino(c), dtypes.of(name, c.type()), c.offset()))) {
                        return;
                    }
                }
                n = PosixIo.getdents64(fd, buffer);
            }
        }
    }

    /**
     * The whole directory from offset 0 as the host lists it, reserved names left out: what {@link #list} gives
     * before it maps d_types and the root's "..", which {@link #serve} maps (the cache is shared by every directory
     * open on this inode, whatever way it was reached).
     */
    private Listing readAll(int fd, MemorySegment buffer) throws ErrnoException {
        Model model = fs.model();
        PosixIo.seek(fd, 0);
        List<DirEntry> all = new ArrayList<>();
        Dirents.Cursor c = new Dirents.Cursor();
        int n;
        while ((n = PosixIo.getdents64(fd, buffer)) > 0) {
            c.reset(buffer, n);
            while (c.next()) {
                String name = c.name();
                if (!model.reserved(name)) {
                    all.add(new DirEntry(name, dev, c.ino(), c.type(), c.offset()));
                }
            }
        }
        return new Listing(all);
    }

    /** Gives {@code listing}'s entries from index {@code from} on, mapped as {@link #list} maps them. */
    private void serve(Listing listing, int from, DirSink sink) throws ErrnoException {
        Model model = fs.model();
        try (Fd.Use u = io.use()) { // EBADF once closed, as an uncached listing
            sink.expect(listing.size() - from);
            if (model instanceof Passthrough && !root) { // nothing to map: the entries go out as kept
                for (int i = from; i < listing.size(); i++) {
                    if (!sink.accept(listing.get(i))) {
                        return;
                    }
                }
                return;
            }
            try (Model.Dtypes dtypes = model.dtypes(u.fd())) {
                for (int i = from; i < listing.size(); i++) {
                    DirEntry e = listing.get(i);
                    int type = dtypes.of(e.name(), e.dtype());
                    long ino = root && e.name().equals("..") ? key.ino() : e.ino();
                    if (!sink.accept(type == e.dtype() && ino == e.ino() ? e
                            : new DirEntry(e.name(), e.dev(), ino, type, e.offset()))) {
                        return;
                    }
                }
            }
        }
    }

    /** The entry's inode; the root's ".." is the root itself: the host's parent is not the client's business. */
    private long ino(Dirents.Cursor c) {
        return root && c.isDotDot() ? key.ino() : c.ino();
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
