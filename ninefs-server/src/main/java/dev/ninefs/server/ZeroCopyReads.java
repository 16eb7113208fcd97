// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileRegion;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Sendfile;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.transport.ConnectionOutput;
import dev.ninefs.transport.SocketDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Large Rread data sent from the file's descriptor straight into the socket with sendfile(2), instead of pread(2)
 * into a buffer and a write of it: no copy through memory, and the request does no I/O. Measured over loopback,
 * 1 MiB reads one at a time: half the server CPU per read and about 1.8 times the throughput.
 *
 * <p>How a reply gets there: {@link IoRequests#read} asks the backend for a {@link FileRegion} ({@link #defer});
 * its Rread carries, in place of the data, a {@link ReadBuffers} buffer of the region's length whose contents are
 * never sent as they are, and which {@link ReplyWriter#encode} trades for the region ({@link #claim}). The writer
 * sends the frame's header, then the region ({@link #send}), under the channel's exclusive output, so that nothing
 * comes between them and replies keep their order.
 *
 * <p>Sending: sendfile into the non-blocking socket while it takes bytes. When it is full, a platform thread (a
 * connection's platform reader writes the replies of the requests it runs) waits in poll(2), in short slices, so
 * that closing the connection is not held up; a virtual thread must not block in a native call, so it copies the
 * next piece through the JDK's write, which parks it until the socket has room, and then goes on with sendfile.
 * Everything is copied (pread into the lent buffer, then write) when there is no socket descriptor (pipes and
 * other descriptors, a JVM without the export {@link SocketDescriptor} needs), the socket is in blocking mode
 * (a sendfile would wait for the peer where closing cannot interrupt it), or the file system refuses sendfile.
 *
 * <p>Once the header is out the count is promised: a file that shrank meanwhile is made up with zeros (as Samba
 * does), and a file that cannot be read any more (EIO) fails the connection; the reply is never cut short.
 */
final class ZeroCopyReads {
    /**
     * Reads of fewer bytes are copied: the calls around a sendfile (fstat, fcntl, a send of the header) cost more
     * than copying a small read. Measured: 16 KiB reads took 10% more server CPU with sendfile, 32 KiB the same,
     * 64 KiB a little less.
     */
    static final int MIN_COUNT = 64 << 10;
    /** What a virtual thread copies through the JDK when the socket is full, before trying sendfile again. */
    static final int PIECE = 64 << 10;
    /** One poll(2) slice of a platform thread waiting for room; a close waits at most this long for it. */
    static final int POLL_MILLIS = 100;

    /** Whether regions are sent with sendfile; tests turn it off to run the copying path over sockets. */
    static volatile boolean sendfile = true;
    /** Bytes sent by sendfile, and bytes copied, for tests and profiles. */
    static final LongAdder SENT = new LongAdder(), COPIED = new LongAdder();
    /** Times the socket was full: a platform thread polled, a virtual thread copied a piece. */
    static final LongAdder POLLS = new LongAdder(), PIECES = new LongAdder();

    /** Regions between their request and the encoding of their reply, by the buffer standing in for the data. */
    private static final ConcurrentHashMap<Stand, FileRegion> PENDING = new ConcurrentHashMap<>();

    private ZeroCopyReads() {}

    /**
     * The stand-in for {@code count} bytes at {@code offset} of {@code file}, to be sent from the file's
     * descriptor; null when the file offers no region (then read it as usual) or descriptors cannot be had.
     */
    static ByteBuffer defer(OpenFile file, long offset, int count) throws ErrnoException {
        if (count < MIN_COUNT || count > ReadBuffers.MAX || !SocketDescriptor.available()) {
            return null;
        }
        FileRegion region = file.region(offset, count);
        if (region == null) {
            return null;
        }
        if (region.count() < MIN_COUNT) { // the end of the file is near: copy
            region.close();
            return null;
        }
        ByteBuffer stand = ReadBuffers.take(region.count());
        PENDING.put(new Stand(stand), region);
        return stand;
    }

    /** The region {@code data} stands in for, taken out of the pending ones; null for ordinary data. */
    static FileRegion claim(ByteBuffer data) {
        return PENDING.isEmpty() || !data.isDirect() ? null : PENDING.remove(new Stand(data));
    }

    /**
     * Sends {@code head} (what goes before the data: the frame's header, and replies queued before it), then the
     * region's bytes, on {@code out}. {@code buffer} is the reply's lent buffer (at least the region's count), for
     * the bytes that are copied. Throws only when the connection must fail.
     */
    static void send(ConnectionOutput out, ByteBuffer[] head, FileRegion region, ByteBuffer buffer)
            throws IOException {
        int count = region.count();
        int done = 0;
        boolean eof = false;
        boolean platform = !Thread.currentThread().isVirtual();
        boolean zeroCopy = sendfile && out.hasDescriptor()
                && out.onDescriptor(fd -> Sendfile.nonBlocking(fd) ? 1 : 0) == 1;
        if (zeroCopy && remaining(head) <= Sendfile.MAX_MORE) {
            out.onDescriptor(fd -> Sendfile.sendMore(fd, head));
        }
        out.write(head); // what is left of it
        if (zeroCopy) {
            while (done < count && !eof) {
                long at = region.offset() + done;
                int rest = count - done;
                long n;
                try {
                    n = out.onDescriptor(fd -> Sendfile.send(fd, region.descriptor(), at, rest));
                } catch (ErrnoException e) {
                    break; // the socket or the file failed, or sendfile is refused: copying tells which
                }
                if (n > 0) {
                    done += (int) n;
                    SENT.add(n);
                } else if (n == 0) {
                    eof = true;
                } else if (platform) {
                    POLLS.increment();
                    out.onDescriptor(fd -> Sendfile.awaitWritable(fd, POLL_MILLIS) ? 1 : 0);
                } else {
                    PIECES.increment();
                    int piece = Math.min(PIECE, rest);
                    copy(out, region, buffer, done, piece, false);
                    done += piece;
                }
            }
        }
        if (done < count) {
            copy(out, region, buffer, done, count - done, eof);
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        return n;
    }

    /**
     * Writes {@code length} bytes of the region from {@code from} through {@code buffer}: read from the file,
     * zeros past its end. {@code eof}: the end was met already.
     */
    private static void copy(ConnectionOutput out, FileRegion region, ByteBuffer buffer, int from, int length,
            boolean eof) throws IOException {
        int done = 0;
        while (done < length) {
            ByteBuffer piece = buffer.clear().limit(Math.min(length - done, buffer.capacity()));
            while (!eof && piece.hasRemaining()) {
                eof = PosixIo.pread(region.descriptor(), region.offset() + from + done + piece.position(), piece)
                        == 0;
            }
            if (piece.hasRemaining()) {
                MemorySegment.ofBuffer(piece).fill((byte) 0); // the file shrank: zeros keep the stream in step
            }
            piece.position(0);
            int n = piece.remaining();
            out.write(piece);
            COPIED.add(n);
            done += n;
        }
    }

    /** A buffer by identity (a ByteBuffer's equals compares contents). */
    private record Stand(ByteBuffer buffer) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Stand s && s.buffer == buffer;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(buffer);
        }
    }
}
