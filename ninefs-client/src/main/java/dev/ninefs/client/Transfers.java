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

    private record Chunk(CallFuture reply, int position, int count) {}

    private Transfers() {}

    /**
     * Reads {@code len} bytes at {@code offset} into {@code b}, or up to end of file. A short read ends the
     * window: the replies already asked for past it are dropped and reading goes on right after the short one,
     * until a read returns nothing.
     *
     * <p>The caller writes its requests and, when they are all that is in flight, reads their replies itself (see
     * {@link Multiplexer#sendInTransfer}); whatever it leaves unawaited is handed to the wire's reader at the end.
     */
    static int readFully(RemoteFile file, long offset, byte[] b, int off, int len) throws IOException {
        int max = file.maxReadSize();
        ArrayDeque<Chunk> window = new ArrayDeque<>(WINDOW);
        boolean dropped = false;
        boolean finished = false;
        int asked = 0;
        int done = 0;
        try {
            while (done < len) {
                while (window.size() < WINDOW && asked < len) {
                    int n = Math.min(max, len - asked);
                    window.add(new Chunk(file.sendTransferRead(offset + asked, n), asked, n));
                    asked += n;
                }
                Chunk chunk = window.poll();
                ByteBuffer data = ((Message.Rread) chunk.reply().awaitInTransfer(window.size() + 1,
                        !window.isEmpty() || asked < len)).data();
                int got = data.remaining();
                if (got > chunk.count()) {
                    chunk.reply().recycle();
                    throw new ErrnoException(Errno.EIO, "server returned " + got + " bytes for a read of "
                            + chunk.count());
                }
                data.get(b, off + chunk.position(), got);
                chunk.reply().recycle();
                done = chunk.position() + got;
                if (got < chunk.count()) {
                    dropped |= !window.isEmpty();
                    window.clear(); // their replies still come and are dropped; their offsets are read again
                    if (got == 0) {
                        break;
                    }
                    asked = done;
                }
            }
            finished = true;
        } finally {
            // Replies nobody awaits, or the reader thread not woken for others' replies while this one read.
            if (!finished || dropped || !window.isEmpty()) {
                file.transferAbandoned();
            }
        }
        return done;
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
                            n));
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
