// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Writes an open remote file sequentially: bytes gather in a buffer of {@link RemoteFile#maxWriteSize}, each full
 * buffer goes out as one Twrite with up to {@link Transfers#WINDOW} in flight, and {@link #flush} waits for all
 * of them. Each chunk keeps its bytes until acknowledged so that a short write can be finished. Not thread-safe;
 * closing it flushes but does not close the file.
 */
final class RemoteOutputStream extends OutputStream {
    private record Chunk(CallFuture reply, long offset, ByteBuffer data) {}

    private final RemoteFile file;
    private final ArrayDeque<Chunk> window = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private byte[] buffer;
    private int filled;
    private long offset;
    private boolean closed;

    RemoteOutputStream(RemoteFile file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            if (buffer == null) {
                buffer = spare.isEmpty() ? new byte[file.maxWriteSize()] : spare.pop();
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == buffer.length) {
                send();
            }
        }
    }

    private void send() throws IOException {
        if (filled == 0) {
            return;
        }
        if (window.size() == Transfers.WINDOW) {
            complete(window.poll());
        }
        ByteBuffer data = ByteBuffer.wrap(buffer, 0, filled);
        window.add(new Chunk(file.sendWrite(offset, data), offset, data));
        offset += filled;
        buffer = null;
        filled = 0;
    }

    private void complete(Chunk chunk) throws IOException {
        ByteBuffer data = chunk.data();
        long at = chunk.offset();
        int written = ((Message.Rwrite) file.await(chunk.reply())).count();
        while (written != data.remaining()) {
            if (written <= 0 || written > data.remaining()) {
                throw new ErrnoException(Errno.EIO, file.path() + ": server wrote "
                        + Integer.toUnsignedString(written) + " bytes of " + data.remaining() + " at offset " + at);
            }
            data.position(data.position() + written);
            at += written;
            written = file.write(at, data.duplicate());
        }
        if (data.array().length == file.maxWriteSize() && spare.size() < 2) {
            spare.push(data.array());
        }
    }

    @Override
    public void flush() throws IOException {
        send();
        while (!window.isEmpty()) {
            complete(window.poll());
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            try {
                flush();
            } finally {
                closed = true;
            }
        }
    }
}
