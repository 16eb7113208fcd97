// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.Spin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection of the {@link NullResponder}: reads whatever is there, answers every whole frame in it from the
 * canned replies into one output buffer, and writes that buffer once per read. Nothing is allocated per request;
 * request fields are read in place, at the offsets of the 9P2000.L layout.
 */
final class NullSession {
    private static final int BUFFER = 64 << 10;
    /** Rread data up to this size is copied into the output buffer; larger data goes out by a gathering write. */
    private static final int COPY_LIMIT = 16 << 10;
    private static final byte[] ZEROS = new byte[COPY_LIMIT];

    private final SocketChannel channel;
    private final int maxMsize;
    private final NullReplies replies;
    private ByteBuffer in = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    /** Zeros for large Rread data, a read-only view shared by no one else; made on first need. */
    private ByteBuffer bigZeros;
    /** For an Rreaddir that does not fit in {@link #out}; made on first need. */
    private ByteBuffer big;
    private int msize;

    NullSession(SocketChannel channel, int maxMsize, NullReplies replies) {
        this.channel = channel;
        this.maxMsize = maxMsize;
        this.replies = replies;
    }

    void run() throws IOException {
        // Polls for the next request before sleeping, as `ninefs serve` does by default (see Spin): the null
        // responder stays the generator's ceiling.
        Spin spin = new Spin(Spin.DEFAULT);
        InputStream probe = channel.socket().getInputStream(); // never closed: that would close the socket
        while (true) {
            if (spin.begin()) {
                spin.poll(() -> probe.available() > 0);
            }
            if (channel.read(in) < 0) {
                break;
            }
            in.flip();
            while (in.remaining() >= FrameHeader.SIZE_LENGTH) {
                int at = in.position();
                long size = Integer.toUnsignedLong(in.getInt(at));
                int limit = msize();
                if (size < FrameHeader.LENGTH || size > limit) {
                    throw new ProtocolException("frame size " + size + " outside [7, " + limit + "]");
                }
                if (in.remaining() < size) {
                    if (size > in.capacity()) {
                        in = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN).put(in).flip();
                    }
                    break;
                }
                answer(at, (int) size);
                in.position(at + (int) size);
            }
            in.compact();
            flush();
        }
    }

    private void answer(int at, int size) throws IOException {
        int type = in.get(at + FrameHeader.TYPE_OFFSET) & 0xff;
        short tag = in.getShort(at + FrameHeader.TAG_OFFSET);
        int body = at + FrameHeader.LENGTH;
        switch (type) {
            case Message.TVERSION -> version(tag, body);
            case Message.TWALK -> canned(replies.walk(in.getShort(body + 8) & 0xffff), tag);
            case Message.TREAD -> read(tag, in.getInt(body + 12));
            case Message.TWRITE -> {
                room(FrameHeader.LENGTH + 4);
                out.putInt(FrameHeader.LENGTH + 4).put((byte) Message.RWRITE).putShort(tag)
                        .putInt(size - FrameHeader.LENGTH - 16);
            }
            case Message.TREADDIR -> readdir(tag, in.getLong(body + 4), in.getInt(body + 12));
            default -> canned(replies.forType(type), tag);
        }
    }

    private void version(short tag, int body) throws IOException {
        long asked = Integer.toUnsignedLong(in.getInt(body));
        int length = in.getShort(body + 4) & 0xffff;
        String version = new String(in.array(), in.arrayOffset() + body + 6, length, StandardCharsets.UTF_8);
        int granted = (int) Math.min(asked, maxMsize);
        boolean ok = version.equals("9P2000.L") && asked >= 4096;
        msize = ok ? granted : 0;
        Message.Rversion reply = new Message.Rversion(granted, ok ? "9P2000.L" : "unknown");
        room(Codec.encodedSize(reply));
        Codec.encode(tag & 0xffff, reply, out);
    }

    private void canned(byte[] reply, short tag) throws IOException {
        room(reply.length);
        int at = out.position();
        out.put(reply).putShort(at + FrameHeader.TAG_OFFSET, tag);
    }

    private void read(short tag, int count) throws IOException {
        int n = (int) Math.min(Integer.toUnsignedLong(count), msize() - NullReplies.READ_HEADER);
        room(NullReplies.READ_HEADER);
        out.putInt(NullReplies.READ_HEADER + n).put((byte) Message.RREAD).putShort(tag).putInt(n);
        if (n <= COPY_LIMIT) {
            room(n);
            out.put(ZEROS, 0, n);
            return;
        }
        if (bigZeros == null) {
            bigZeros = ByteBuffer.allocateDirect(maxMsize);
        }
        out.flip();
        write(out, bigZeros.clear().limit(n));
        out.clear();
    }

    /** A page of the fake directory from cookie {@code offset}, as much as {@code count} bytes hold. */
    private void readdir(short tag, long offset, int count) throws IOException {
        int max = (int) Math.min(Integer.toUnsignedLong(count), msize() - NullReplies.READ_HEADER);
        int first = (int) Math.min(Math.max(offset, 0), replies.entries());
        int bytes = 0;
        int end = first;
        while (end < replies.entries() && bytes + replies.entrySize(end) <= max) {
            bytes += replies.entrySize(end++);
        }
        int total = NullReplies.READ_HEADER + bytes;
        ByteBuffer to = out;
        if (total > out.capacity()) {
            if (big == null || big.capacity() < total) {
                big = ByteBuffer.allocateDirect(Math.max(total, msize())).order(ByteOrder.LITTLE_ENDIAN);
            }
            to = big.clear();
        } else {
            room(total);
        }
        to.putInt(total).put((byte) Message.RREADDIR).putShort(tag).putInt(bytes);
        for (int i = first; i < end; i++) {
            replies.putEntry(to, i);
        }
        if (to == big) {
            out.flip();
            write(out, big.flip());
            out.clear();
        }
    }

    /** The negotiated msize, or before a Tversion the largest. */
    private int msize() {
        return msize == 0 ? maxMsize : msize;
    }

    /** Makes room for {@code bytes} in the output buffer, writing out what is there if need be. */
    private void room(int bytes) throws IOException {
        if (out.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.flip();
        write(out);
        out.clear();
    }

    private void write(ByteBuffer... buffers) throws IOException {
        long left = 0;
        for (ByteBuffer b : buffers) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= channel.write(buffers);
        }
    }
}
