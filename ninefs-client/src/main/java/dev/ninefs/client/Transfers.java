// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Large reads and writes split into requests of at most {@link RemoteFile#maxReadSize} /
 * {@link RemoteFile#maxWriteSize} bytes, with up to {@link #WINDOW} of them in flight so that the transfer runs at
 * the link's bandwidth rather than at one request per round trip.
 */
final class Transfers {
    /** Requests in flight per transfer: 8 MiB with a 1 MiB msize, enough to fill a fast loopback link. */
    static final int WINDOW = 8;

    /**
     * Replies smaller than this arrive in the socket reader's own buffer, several per read, and are copied out of
     * it anyway; larger ones may land in the caller's direct buffer (see {@link Landing}).
     */
    static final int LAND_MIN = 16 << 10;

    /** A request of a window: its reply, where its data goes in the caller's buffer, and where it may land. */
    private record Chunk(CallFuture reply, int position, int count, ByteBuffer sink) {
        /** No reply may land in the caller's buffer any more (the caller no longer waits for this one). */
        void withdraw() {
            if (sink != null) {
                reply.landIn(null);
            }
        }
    }

    private Transfers() {}

    /**
     * One Tread into {@code dst} (as much as fits, up to {@link RemoteFile#maxReadSize}), which advances by the
     * count; returns it, 0 at end of file. A large reply may land in a direct {@code dst} (see {@link Landing}).
     */
    static int read(RemoteFile file, long offset, ByteBuffer dst) throws IOException {
        int count = Math.min(dst.remaining(), file.maxReadSize());
        CallFuture reply = file.sendAwaitedRead(offset, count);
        ByteBuffer sink = landIn(reply, dst, dst.position(), count);
        ByteBuffer data;
        try {
            data = ((Message.Rread) reply.await()).data();
        } finally {
            if (sink != null) {
                reply.landIn(null);
            }
        }
        int n = data.remaining();
        if (n > count) {
            reply.recycle();
            throw new ErrnoException(Errno.EIO, "server returned " + n + " bytes for a read of " + count);
        }
        if (data != sink) { // else it landed: the reply's data is the caller's own memory
            dst.put(dst.position(), data, data.position(), n);
            reply.recycle();
        }
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}, or up to end of file; {@code dst}
     * advances by the count, which is returned. A short read ends the window: the replies already asked for past
     * it are dropped and reading goes on right after the short one, until a read returns nothing.
     *
     * <p>The caller writes its requests and, when they are all that is in flight, reads their replies itself (see
     * {@link Multiplexer#sendInTransfer}); whatever it leaves unawaited is handed to the wire's reader at the end.
     * A direct {@code dst} then receives large replies straight from the socket ({@link Landing}); replies read
     * by another thread arrive in pooled buffers and are copied, as they are for a heap {@code dst} (the JDK would
     * read into a temporary direct buffer and copy anyway).
     */
    static int readFully(RemoteFile file, long offset, ByteBuffer dst) throws IOException {
        int max = file.maxReadSize();
        int base = dst.position();
        int len = dst.remaining();
        ArrayDeque<Chunk> window = new ArrayDeque<>(WINDOW);
        boolean dropped = false;
        boolean finished = false;
        int asked = 0;
        int done = 0;
        try {
            while (done < len) {
                while (window.size() < WINDOW && asked < len) {
                    int n = Math.min(max, len - asked);
                    CallFuture reply = file.sendTransferRead(offset + asked, n);
                    window.add(new Chunk(reply, asked, n, landIn(reply, dst, base + asked, n)));
                    asked += n;
                }
                Chunk chunk = window.poll();
                ByteBuffer data;
                try {
                    data = ((Message.Rread) chunk.reply().awaitInTransfer(window.size() + 1,
                            !window.isEmpty() || asked < len)).data();
                } finally {
                    chunk.withdraw();
                }
                int got = data.remaining();
                if (got > chunk.count()) {
                    chunk.reply().recycle();
                    throw new ErrnoException(Errno.EIO, "server returned " + got + " bytes for a read of "
                            + chunk.count());
                }
                if (data != chunk.sink()) { // else it landed: the reply's data is the caller's own memory
                    dst.put(base + chunk.position(), data, data.position(), got);
                    chunk.reply().recycle();
                }
                done = chunk.position() + got;
                if (got < chunk.count()) {
                    dropped |= !window.isEmpty();
                    // Their replies still come and are dropped, never landing here; their offsets are read again.
                    window.forEach(Chunk::withdraw);
                    window.clear();
                    if (got == 0) {
                        break;
                    }
                    asked = done;
                }
            }
            finished = true;
        } finally {
            window.forEach(Chunk::withdraw);
            // Replies nobody awaits, or the reader thread not woken for others' replies while this one read.
            if (!finished || dropped || !window.isEmpty()) {
                file.transferAbandoned();
            }
        }
        dst.position(base + done);
        return done;
    }

    /** Lets a large reply land in {@code dst}'s bytes [at, at + count) if {@code dst} is direct; the slice or null. */
    private static ByteBuffer landIn(CallFuture reply, ByteBuffer dst, int at, int count) {
        if (!dst.isDirect() || count < LAND_MIN) {
            return null;
        }
        ByteBuffer sink = dst.slice(at, count);
        reply.landIn(sink);
        return sink;
    }

    /** Writes all of {@code src}; a short write is completed at once with further Twrites of the rest. */
    static void writeFully(RemoteFile file, long offset, ByteBuffer src) throws IOException {
        int max = file.maxWriteSize();
        int base = src.position();
        int len = src.remaining();
        ArrayDeque<Chunk> window = new ArrayDeque<>(WINDOW);
        boolean finished = false;
        int asked = 0;
        try {
            while (asked < len || !window.isEmpty()) {
                while (window.size() < WINDOW && asked < len) {
                    int n = Math.min(max, len - asked);
                    window.add(new Chunk(file.sendTransferWrite(offset + asked, src.slice(base + asked, n)), asked,
                            n, null));
                    asked += n;
                }
                Chunk chunk = window.poll();
                int written = ((Message.Rwrite) chunk.reply().awaitInTransfer(window.size() + 1,
                        !window.isEmpty() || asked < len)).count();
                int position = chunk.position();
                int rest = chunk.count();
                while (written != rest) {
                    if (written <= 0 || written > rest) {
                        throw new ErrnoException(Errno.EIO, "server wrote " + Integer.toUnsignedString(written)
                                + " bytes of " + rest + " at offset " + (offset + position));
                    }
                    position += written;
                    rest -= written;
                    written = ((Message.Rwrite) file.sendTransferWrite(offset + position,
                            src.slice(base + position, rest)).awaitInTransfer(window.size() + 1,
                            !window.isEmpty() || asked < len)).count();
                }
            }
            finished = true;
        } finally {
            if (!finished || !window.isEmpty()) {
                file.transferAbandoned();
            }
        }
        src.position(base + len);
    }
}
