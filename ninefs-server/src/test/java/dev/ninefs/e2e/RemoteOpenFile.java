// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import static dev.ninefs.e2e.RemoteNode.wire;

import dev.ninefs.client.FileLock;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.List;

/** An {@link OpenFile} that is an opened fid on a 9P connection. */
final class RemoteOpenFile implements OpenFile {
    private final RemoteFile file;

    RemoteOpenFile(RemoteFile file) {
        this.file = file;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        int total = 0;
        while (dst.hasRemaining()) {
            long at = offset + total;
            int n = wire(() -> file.read(at, dst));
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        int total = 0;
        while (src.hasRemaining()) {
            long at = offset + total;
            int n = wire(() -> file.write(at, src));
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        long next = offset;
        while (true) {
            long from = next;
            List<Dirent> page = wire(() -> file.readdir(from, 8192));
            if (page.isEmpty()) {
                return;
            }
            for (Dirent d : page) {
                if (!sink.accept(new DirEntry(d.name(), 0, d.qid().path(), d.dtype(), d.offset()))) {
                    return;
                }
                next = d.offset();
            }
        }
    }

    @Override
    public void fsync(boolean dataOnly) throws ErrnoException {
        wire(() -> {
            file.fsync(dataOnly);
            return null;
        });
    }

    @Override
    public LockStatus lock(LockRequest r) throws ErrnoException {
        FileLock l = toWire(r);
        return switch (wire(() -> file.lock(l, 0))) {
            case SUCCESS -> LockStatus.SUCCESS;
            case BLOCKED -> LockStatus.BLOCKED;
            case ERROR -> LockStatus.ERROR;
            case GRACE -> LockStatus.GRACE;
        };
    }

    @Override
    public LockRequest getlock(LockRequest r) throws ErrnoException {
        FileLock l = wire(() -> file.getlock(toWire(r)));
        return new LockRequest(l.type(), l.start(), l.length(), fromWire(l));
    }

    /** The connection of an owner travels inside client_id, since one wire connection carries them all. */
    private static FileLock toWire(LockRequest r) {
        LockOwner o = r.owner();
        return new FileLock(r.type(), r.start(), r.length(), o.procId(), o.connection() + "@" + o.clientId());
    }

    private static LockOwner fromWire(FileLock l) {
        String id = l.clientId();
        int at = id.indexOf('@');
        if (at > 0) {
            try {
                return new LockOwner(Long.parseLong(id.substring(0, at)), l.procId(), id.substring(at + 1));
            } catch (NumberFormatException notOurs) {
                // Fall through: an owner some other client made.
            }
        }
        return new LockOwner(0, l.procId(), id);
    }

    @Override
    public void close() {
        RemoteNode.closeQuietly(file);
    }
}
