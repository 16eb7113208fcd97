// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Reads an open remote file sequentially with read-ahead: the window of Treads in flight starts at one (a small
 * file costs one round trip) and doubles with every full reply up to {@link Transfers#WINDOW}. A short reply
 * drops the read-ahead and goes on from where it ended; an empty one is end of file. Not thread-safe, as streams
 * are not; closing it does not close the file.
 */
final class RemoteInputStream extends InputStream {
    private record Chunk(CallFuture reply, long offset, int count) {}

    private final RemoteFile file;
    private final ArrayDeque<Chunk> ahead = new ArrayDeque<>();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private long next;
    private int window = 1;
    private boolean eof;
    private boolean closed;

    RemoteInputStream(RemoteFile file, long offset) {
        this.file = file;
        this.next = offset;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (!current.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    private boolean fill() throws IOException {
        while (!eof) {
            int max = file.maxReadSize();
            while (ahead.size() < window) {
                ahead.add(new Chunk(file.sendRead(next, max), next, max));
                next += max;
            }
            Chunk chunk = ahead.poll();
            ByteBuffer data = ((Message.Rread) file.await(chunk.reply())).data();
            if (data.remaining() < chunk.count()) {
                ahead.clear(); // replies past a short read are dropped and their offsets asked again
                next = chunk.offset() + data.remaining();
                window = 1;
                eof = !data.hasRemaining();
            } else {
                window = Math.min(window * 2, Transfers.WINDOW);
            }
            if (data.hasRemaining()) {
                current = data;
                return true;
            }
        }
        return false;
    }

    @Override
    public int available() {
        return current.remaining();
    }

    @Override
    public void close() {
        closed = true;
        ahead.clear();
    }
}
