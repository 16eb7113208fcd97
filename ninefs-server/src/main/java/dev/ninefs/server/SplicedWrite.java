// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Pipe;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Splice;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.transport.FrameFill;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The rest of a large Twrite's data, moved by the connection's reader from the socket into the file with splice(2)
 * through the connection's pipe: socket -> pipe -> file, without a copy through memory ({@link FrameFill#divert}).
 *
 * <p>It keeps what write(2) would report: the bytes written in one run from the first it was given, and the failure
 * that ended the run. After a failure or a short write it takes nothing more (the reader reads the rest of the frame
 * and drops it, so the stream stays in step); bytes the file refused are drained from the pipe, so that it is empty
 * for the next frame. Runs on the reader thread: a virtual one never waits in a native call.
 */
final class SplicedWrite implements FrameFill.Sink {
    private final Pipe pipe;
    private final int file;
    /** The file offset of the data's first byte. */
    private final long offset;
    /** Whether the socket is in non-blocking mode; null until a virtual thread needs to know. */
    private Boolean nonBlocking;
    // The reader thread writes these; the request reads them once FrameFill#divert returned.
    private long written;
    private ErrnoException failure;
    private volatile boolean stopped;

    SplicedWrite(Pipe pipe, int file, long offset) {
        this.pipe = pipe;
        this.file = file;
        this.offset = offset;
    }

    @Override
    public long splice(int socket, long at, int max, boolean wait) throws IOException {
        long n;
        try {
            if (!wait && !nonBlocking(socket)) {
                return 0; // TCP would wait inside splice: a virtual thread reads through the JDK instead
            }
            while ((n = Splice.fromSocket(socket, pipe, max)) == Splice.WOULD_BLOCK) {
                if (!wait) {
                    return 0;
                }
                Splice.awaitReadable(socket);
            }
        } catch (ErrnoException e) {
            throw new IOException("splicing from the socket: " + e.getMessage(), e);
        }
        if (n == 0) {
            return -1;
        }
        long done = 0;
        try {
            done = Splice.toFile(pipe, file, offset + at, n); // empties the pipe, whatever the file took
        } catch (ErrnoException e) {
            failure = e;
        }
        written += done;
        if (done < n) {
            stopped = true;
        }
        return n;
    }

    private boolean nonBlocking(int socket) throws ErrnoException {
        if (nonBlocking == null) {
            nonBlocking = (Splice.statusFlags(socket) & Linux.O_NONBLOCK) != 0;
        }
        return nonBlocking;
    }

    @Override
    public void write(long at, ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                int n = PosixIo.pwrite(file, offset + at + bytes.position(), bytes);
                written += n;
                if (n == 0) {
                    stopped = true;
                    return;
                }
            }
        } catch (ErrnoException e) {
            failure = e;
            stopped = true;
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    /**
     * What write(2) would answer, once the reader is done: the bytes written in one run from the data's first, or
     * the failure if not even that one was written.
     */
    int result() throws ErrnoException {
        if (written == 0 && failure != null) {
            throw failure;
        }
        return (int) written;
    }
}
