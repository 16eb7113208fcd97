// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.WriteTarget;
import dev.ninefs.posix.Pipe;
import dev.ninefs.protocol.Qid;
import dev.ninefs.transport.FrameBuffers;
import dev.ninefs.transport.FrameFill;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Requests on open files: lopen, lcreate, read, write, readdir, fsync, lock, getlock. */
final class IoRequests {
    /** P9_IOHDRSZ: the header of a Twrite (size type tag fid offset count) rounded up, as Linux and QEMU use it. */
    static final int IO_HEADER = 24;
    /** size[4] type[1] tag[2] count[4]: what precedes the data of an Rread or Rreaddir. */
    static final int READ_HEADER = 11;
    /** A Twrite whose data is still arriving goes to the file in pieces of at least this much. */
    private static final int PIECE = 128 << 10;
    /** The connection's splice pipe holds up to what one large Twrite carries, if the system allows. */
    private static final int PIPE_CAPACITY = 1 << 20;

    private final SessionContext session;
    /** The connection's pipe for splicing Twrite data, made on first use, closed with the connection. */
    private Pipe pipe;

    IoRequests(SessionContext session) {
        this.session = session;
    }

    /** Tlopen: a fid is opened once; a second Tlopen of it (or of an xattr fid) is EBADF. */
    Rlopen lopen(Tlopen o) throws ErrnoException {
        try (Fid fid = session.fids().use(o.fid())) {
            fid.open(o.flags());
            return new Rlopen(fid.qid(fid.node()), iounit());
        }
    }

    /** Tlcreate: creates the file in the fid's directory; the fid becomes the new file, open. */
    Rlcreate lcreate(Tlcreate c) throws ErrnoException {
        FidTable fids = session.fids();
        try (Fid fid = fids.use(c.fid())) {
            Node dir = fid.unopened();
            Node.Created created = dir.create(Names.newEntry(c.name()), c.flags(), c.mode(), c.gid());
            FidState.Opened opened = new FidState.Opened(created.node(), created.file(), c.flags());
            try {
                var qid = fid.qid(created.node());
                FileRequests.replace(fids, fid, opened);
                return new Rlcreate(qid, iounit());
            } catch (ErrnoException | RuntimeException e) {
                opened.close();
                throw e;
            }
        }
    }

    /**
     * Tread: count is clamped to what fits in one msize reply. A large read of a file that offers a region goes
     * from the file into the socket when the reply is written ({@link ZeroCopyReads}); otherwise the file reads
     * straight into a direct buffer that goes out as the reply's data (the codec sends it with a gathering write,
     * no copy), lent by {@link ReadBuffers}.
     */
    Rread read(Tread r) throws ErrnoException {
        int count = clamp(r.count());
        try (Fid fid = session.fids().use(r.fid())) {
            return switch (fid.state()) {
                case FidState.Opened o -> {
                    ByteBuffer deferred = ZeroCopyReads.defer(o.file(), r.offset(), count);
                    if (deferred != null) {
                        yield new Rread(deferred); // a stand-in: the reply's writer sends the file's bytes
                    }
                    ByteBuffer data = ReadBuffers.take(count);
                    try {
                        o.file().read(r.offset(), data);
                    } catch (ErrnoException | RuntimeException e) {
                        ReadBuffers.give(data);
                        throw e;
                    }
                    yield new Rread(data.flip()); // the session gives the buffer back once the reply is written
                }
                case FidState.XattrRead x -> new Rread(slice(x.value(), r.offset(), count));
                default -> throw Errors.badFid(r.fid(), "is not open for reading");
            };
        }
    }

    private static ByteBuffer slice(byte[] value, long offset, int count) throws ErrnoException {
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative offset");
        }
        if (offset >= value.length) {
            return ByteBuffer.allocate(0);
        }
        return ByteBuffer.wrap(value, (int) offset, Math.min(count, value.length - (int) offset)).slice();
    }

    /**
     * Twrite: the data goes down as the frame holds it; a large frame's buffer is pooled direct memory (written to
     * the file without a copy), given back here once the write is done, whatever its outcome.
     */
    Rwrite write(Twrite w) throws ErrnoException {
        FrameFill fill = FrameBuffers.fillOf(w.data());
        try (Fid fid = session.fids().use(w.fid())) {
            return switch (fid.state()) {
                case FidState.Opened o when fill != null && inPieces(fid, o) ->
                        new Rwrite(writeStillArriving(o.file(), w.offset(), w.data().duplicate(), fill));
                case FidState.Opened o -> new Rwrite(o.file().write(w.offset(), arrived(w.data(), fill).duplicate()));
                case XattrWrite x -> new Rwrite(x.write(w.offset(), arrived(w.data(), fill)));
                default -> throw Errors.badFid(w.fid(), "is not open for writing");
            };
        } finally {
            FrameBuffers.give(w.data()); // if it is still filling, it goes back to the pool once filled
        }
    }

    /**
     * Whether a Twrite whose data is still arriving may go to the file in pieces as it arrives: a regular file
     * without O_APPEND, where consecutive writes at increasing offsets leave what one write would.
     */
    private static boolean inPieces(Fid fid, FidState.Opened o) throws ErrnoException {
        return (o.flags() & Dotl.O_APPEND) == 0 && fid.qid(o.node()).type() == Qid.QTFILE;
    }

    /**
     * Writes a Twrite's data whose rest is still arriving: if the file offers its descriptor, the connection's reader
     * writes what had arrived and splices the rest from the socket into it (no copy through memory); otherwise
     * this thread writes it in pieces as it arrives. Either way the outcome is write(2)'s: bytes written before a
     * failure are a short count, a failure of the first byte is the error.
     */
    private int writeStillArriving(OpenFile file, long offset, ByteBuffer data, FrameFill fill)
            throws ErrnoException {
        try (WriteTarget target = file.writeTarget()) {
            Pipe p = target == null ? null : pipe(fill);
            if (p != null) {
                SplicedWrite spliced = new SplicedWrite(p, target.descriptor(), offset);
                boolean diverted;
                try {
                    diverted = fill.divert(data, spliced); // returns once the reader is done with the target
                } catch (IOException e) {
                    throw new ErrnoException(Errno.EIO, e.getMessage());
                }
                if (diverted) {
                    return spliced.result();
                }
            }
        }
        return writeAsItArrives(file, offset, data, fill);
    }

    /** The connection's splice pipe, made on first use; null if none can be had (no descriptors left). */
    private synchronized Pipe pipe(FrameFill fill) {
        if (pipe == null) {
            try {
                pipe = Pipe.open(PIPE_CAPACITY);
            } catch (ErrnoException e) {
                return null;
            }
            fill.closeWithConnection(pipe);
        }
        return pipe;
    }

    /**
     * Writes {@code data} to the file in pieces as the connection's reader brings them in, so that receiving the
     * frame and writing the file overlap. Stops at the first short write, and returns the bytes written before a
     * failure as a short count, as write(2) does; a failure of the first piece is the request's error.
     */
    private static int writeAsItArrives(OpenFile file, long offset, ByteBuffer data, FrameFill fill)
            throws ErrnoException {
        int base = data.position();
        int length = data.remaining();
        int done = 0;
        while (done < length) {
            int ready;
            try {
                ready = fill.awaitData(data.position(base + done), Math.min(PIECE, length - done));
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO, e.getMessage());
            }
            int n;
            try {
                n = file.write(offset + done, data.slice(base + done, ready));
            } catch (ErrnoException | RuntimeException e) {
                if (done == 0) {
                    throw e;
                }
                return done;
            }
            done += n;
            if (n < ready) {
                break;
            }
        }
        return done;
    }

    /** {@code data}, once all of it has arrived. */
    private static ByteBuffer arrived(ByteBuffer data, FrameFill fill) throws ErrnoException {
        if (fill != null) {
            try {
                fill.awaitData(data.duplicate(), data.remaining());
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO, e.getMessage());
            }
        }
        return data;
    }

    /** Treaddir: packs whole entries until count bytes (at most what fits in one reply) are filled. */
    Rreaddir readdir(Treaddir r) throws ErrnoException {
        int count = clamp(r.count());
        try (Fid fid = session.fids().use(r.fid())) {
            FidState.Opened dir = fid.opened();
            DirentPacker packer = new DirentPacker(count, fid.export().qids(), dir.node());
            dir.file().readdir(r.offset(), packer);
            return packer.reply();
        }
    }

    Rfsync fsync(Tfsync f) throws ErrnoException {
        try (Fid fid = session.fids().use(f.fid())) {
            fid.opened().file().fsync(f.datasync() != 0);
            return new Rfsync();
        }
    }

    /**
     * Tlock never waits: a conflicting lock answers BLOCKED and the Linux client retries (it polls for F_SETLKW).
     * The owner is (connection, proc_id, client_id), so that two clients' processes never share locks.
     */
    Rlock lock(Tlock l) throws ErrnoException {
        try (Fid fid = session.fids().use(l.fid())) {
            LockStatus status = fid.opened().file().lock(lockRequest(l.lockType(), l.start(), l.length(),
                    l.procId(), l.clientId()));
            return new Rlock(status.code());
        }
    }

    Rgetlock getlock(Tgetlock l) throws ErrnoException {
        try (Fid fid = session.fids().use(l.fid())) {
            LockRequest asked = lockRequest(l.lockType(), l.start(), l.length(), l.procId(), l.clientId());
            LockRequest found = fid.opened().file().getlock(asked);
            return new Rgetlock(found.type(), found.start(), found.length(), found.owner().procId(),
                    found.owner().clientId());
        }
    }

    private LockRequest lockRequest(int type, long start, long length, int procId, String clientId)
            throws ErrnoException {
        if (type != Dotl.LOCK_TYPE_RDLCK && type != Dotl.LOCK_TYPE_WRLCK && type != Dotl.LOCK_TYPE_UNLCK) {
            throw new ErrnoException(Errno.EINVAL, "lock type " + type);
        }
        if (start < 0 || length < 0) {
            throw new ErrnoException(Errno.EINVAL, "lock range " + start + "+" + length);
        }
        return new LockRequest(type, start, length, new LockOwner(session.connectionId(), procId, clientId));
    }

    private int iounit() {
        return session.msize() - IO_HEADER;
    }

    /** A count from the wire (unsigned) cut to what one reply of the negotiated msize can carry. */
    private int clamp(int count) {
        return (int) Math.min(Integer.toUnsignedLong(count), session.msize() - READ_HEADER);
    }
}
