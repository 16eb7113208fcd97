// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large Rread data read by its own caller goes from the socket straight into the caller's direct buffer (see
 * Landing). These guard that it does, that the bytes are exact, and above all that nothing is ever written into the
 * caller's buffer once the call has returned (timeout, interrupt, a reply dropped after a short read), nor by any
 * thread but the caller. The peer is scripted so that a reply can stop in the middle of its data.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LandingTest {
    private static final int MSIZE = 256 << 10;
    private static final byte UNTOUCHED = (byte) 0xa5;
    /** Reads four bytes of a direct buffer with volatile semantics: the test watches another thread fill it. */
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private ScriptedPeer peer;
    private Connection conn;
    private RemoteFile root;

    private void connect(Duration timeout) throws Exception {
        peer = new ScriptedPeer();
        ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults().withMsize(MSIZE).withTimeout(timeout));
        conn = s.connection();
        root = s.root();
    }

    @AfterEach
    void close() throws Exception {
        if (conn != null) {
            conn.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void aLargeReplyItsCallerReadsLandsInItsDirectBufferByteForByte() throws Exception {
        connect(Duration.ofSeconds(30));
        int max = conn.maxReadSize();
        int len = 2 * max - 3;
        ByteBuffer dst = untouched(len + 20).position(7).limit(7 + len);
        CompletableFuture<Integer> reading = readFullyOnAThreadOfItsOwn(1001, dst);
        Frame first = peer.read();
        Frame second = peer.read();
        assertEquals(new Message.Tread(0, 1001, max), first.message());
        assertEquals(new Message.Tread(0, 1001 + max, max - 3), second.message());
        byte[] reply = rread(first.tag(), 1001, max);
        int half = reply.length / 2;
        peer.sendRaw(Arrays.copyOf(reply, half));
        // The first half is in the caller's buffer while the rest is still to come: it landed there.
        awaitBytes(dst, 7, half - Landing.HEAD, 1001);
        peer.sendRaw(Arrays.copyOfRange(reply, half, reply.length));
        peer.sendRaw(rread(second.tag(), 1001 + max, max - 3));
        assertEquals(len, reading.get(20, TimeUnit.SECONDS));
        assertEquals(7 + len, dst.position());
        assertPattern(dst, 7, len, 1001);
        assertUntouched(dst, 0, 7);
        assertUntouched(dst, 7 + len, 20 - 7);
    }

    /** A lone caller reads its own reply (see Multiplexer#lead): a single large read lands too. */
    @Test
    void aSingleLargeReadOfALoneCallerLandsInItsDirectBuffer() throws Exception {
        connect(Duration.ofSeconds(30));
        for (int i = 0; i < 4; i++) { // lone round trips, after which a lone caller reads its own replies
            CompletableFuture<FileAttr> attr = root.getattrAsync(Dotl.GETATTR_BASIC);
            Frame f = peer.read();
            peer.reply(f.tag(), ScriptedPeer.attrOfSize(i));
            assertEquals(i, attr.get(10, TimeUnit.SECONDS).size());
        }
        int count = 100_003;
        ByteBuffer dst = untouched(count + 10).position(3).limit(3 + count);
        CompletableFuture<Integer> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return root.read(40_000, dst);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().start(task));
        Frame read = peer.read();
        assertEquals(new Message.Tread(0, 40_000, count), read.message());
        byte[] reply = rread(read.tag(), 40_000, count);
        int half = reply.length / 2;
        peer.sendRaw(Arrays.copyOf(reply, half));
        awaitBytes(dst, 3, half - Landing.HEAD, 40_000);
        peer.sendRaw(Arrays.copyOfRange(reply, half, reply.length));
        assertEquals(count, reading.get(20, TimeUnit.SECONDS));
        assertEquals(3 + count, dst.position());
        assertPattern(dst, 3, count, 40_000);
        assertUntouched(dst, 0, 3);
        assertUntouched(dst, 3 + count, 7);
    }

    @Test
    void aTimedOutCallersBufferIsNeverWrittenAfterItReturns() throws Exception {
        connect(Duration.ofMillis(1500)); // long enough for the first half to arrive on a busy machine
        int max = conn.maxReadSize();
        ByteBuffer dst = untouched(max);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> readFully(dst, thrown));
        Frame read = peer.read();
        byte[] reply = rread(read.tag(), 0, max);
        int half = reply.length / 2;
        peer.sendRaw(Arrays.copyOf(reply, half));
        awaitBytes(dst, 0, half - Landing.HEAD, 0); // the caller was reading it into its buffer
        Frame flush = peer.read(); // its deadline passed in the middle of the data
        assertEquals(new Message.Tflush(read.tag()), flush.message());
        caller.join();
        assertEquals(Errno.ETIMEDOUT, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        finishLate(reply, half, flush);
        assertUntouched(dst, half - Landing.HEAD, max - (half - Landing.HEAD));
    }

    @Test
    void anInterruptedCallersBufferIsNeverWrittenAfterItReturns() throws Exception {
        connect(Duration.ofSeconds(30));
        int max = conn.maxReadSize();
        ByteBuffer dst = untouched(max);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> readFully(dst, thrown));
        Frame read = peer.read();
        byte[] reply = rread(read.tag(), 0, max);
        int half = reply.length / 3;
        peer.sendRaw(Arrays.copyOf(reply, half));
        awaitBytes(dst, 0, half - Landing.HEAD, 0);
        caller.interrupt();
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(read.tag()), flush.message());
        caller.join();
        assertEquals(Errno.EINTR, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        finishLate(reply, half, flush);
        assertUntouched(dst, half - Landing.HEAD, max - (half - Landing.HEAD));
    }

    /** Another request in flight: the connection's reader reads the reply, into a buffer of its own, never dst. */
    @Test
    void aReplyTheReaderThreadReadsNeverLandsInTheCallersBuffer() throws Exception {
        connect(Duration.ofSeconds(30));
        int max = conn.maxReadSize();
        CompletableFuture<FileAttr> other = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame getattr = peer.read();
        ByteBuffer dst = untouched(max);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> readFully(dst, thrown));
        Frame read = peer.read();
        byte[] reply = rread(read.tag(), 0, max);
        int half = reply.length / 2;
        peer.sendRaw(Arrays.copyOf(reply, half));
        caller.interrupt();
        Frame flush = peer.read();
        caller.join();
        assertEquals(Errno.EINTR, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        finishLate(reply, half, flush);
        peer.reply(getattr.tag(), ScriptedPeer.attrOfSize(3));
        assertEquals(3, other.get(10, TimeUnit.SECONDS).size());
        assertUntouched(dst, 0, max);

        // Whole replies it reads while their caller waits are copied in once the caller has them, never landed.
        CompletableFuture<FileAttr> another = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame getattr2 = peer.read();
        int len = 2 * max - 1;
        ByteBuffer dst2 = untouched(len);
        CompletableFuture<Integer> reading = readFullyOnAThreadOfItsOwn(77, dst2);
        Frame first = peer.read();
        Frame second = peer.read();
        peer.sendRaw(rread(second.tag(), 77 + max, max - 1)); // the second first: the caller still waits
        syncWithReader(); // the reader thread has read and handed over the second reply
        assertUntouched(dst2, 0, len);
        peer.sendRaw(rread(first.tag(), 77, max));
        assertEquals(len, reading.get(20, TimeUnit.SECONDS));
        assertPattern(dst2, 0, len, 77);
        peer.reply(getattr2.tag(), ScriptedPeer.attrOfSize(4));
        assertEquals(4, another.get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void moreDataThanAskedIsEioAndLandsNowhere() throws Exception {
        connect(Duration.ofSeconds(30));
        int asked = 64 << 10;
        ByteBuffer dst = untouched(asked + 1000).limit(asked);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> readFully(dst, thrown));
        Frame read = peer.read();
        assertEquals(asked, assertInstanceOf(Message.Tread.class, read.message()).count());
        peer.sendRaw(rread(read.tag(), 0, asked + 1000));
        caller.join();
        assertEquals(Errno.EIO, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        assertUntouched(dst, 0, asked + 1000);
        assertTrue(conn.isOpen());
    }

    /**
     * A short reply ends the window; a dropped reply of it that the caller had begun to read (it came right behind
     * the short one) is finished in a buffer of the connection by its reader thread: nothing more of it reaches
     * dst, and nothing at all once the call has returned.
     */
    @Test
    void aDroppedReplyStopsLandingOnceItsCallerMovesOn() throws Exception {
        connect(Duration.ofSeconds(30));
        int max = conn.maxReadSize();
        ByteBuffer dst = untouched(3 * max);
        CompletableFuture<Integer> reading = readFullyOnAThreadOfItsOwn(0, dst);
        Frame[] reads = {peer.read(), peer.read(), peer.read()};
        byte[] second = rread(reads[1].tag(), max, max);
        int part = 100_000;
        byte[] shortThenPart = new byte[Landing.HEAD + 1000 + part];
        System.arraycopy(rread(reads[0].tag(), 0, 1000), 0, shortThenPart, 0, Landing.HEAD + 1000);
        System.arraycopy(second, 0, shortThenPart, Landing.HEAD + 1000, part);
        peer.sendRaw(shortThenPart);
        Frame[] again = {peer.read(), peer.read(), peer.read()}; // reading goes on right after the short reply
        assertEquals(new Message.Tread(0, 1000, max), again[0].message());
        peer.sendRaw(Arrays.copyOfRange(second, part, second.length));
        for (Frame f : again) {
            peer.reply(f.tag(), new Message.Rread(ByteBuffer.allocate(0))); // end of file
        }
        assertEquals(1000, reading.get(20, TimeUnit.SECONDS));
        byte[] seen = contents(dst);
        peer.sendRaw(rread(reads[2].tag(), 2 * max, max));
        syncWithReader();
        assertEquals(ByteBuffer.wrap(seen), ByteBuffer.wrap(contents(dst)), "dst changed after the call returned");
        assertPattern(dst, 0, 1000, 0);
        assertUntouched(dst, 1000, max - 1000);
        assertUntouched(dst, max + part - Landing.HEAD, 2 * max - part + Landing.HEAD);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void readFully(ByteBuffer dst, AtomicReference<Throwable> thrown) {
        try {
            root.readFully(0, dst);
        } catch (Throwable t) {
            thrown.set(t);
        }
    }

    private CompletableFuture<Integer> readFullyOnAThreadOfItsOwn(long offset, ByteBuffer dst) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return root.readFully(offset, dst);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().start(task));
    }

    /** The rest of a reply that came too late, then the Rflush, then a round trip that shows both were read. */
    private void finishLate(byte[] reply, int sent, Frame flush) throws Exception {
        peer.sendRaw(Arrays.copyOfRange(reply, sent, reply.length));
        peer.reply(flush.tag(), new Message.Rflush());
        syncWithReader();
        assertTrue(conn.isOpen());
    }

    /** A round trip: replies sent before it have been read and handled once it returns. */
    private void syncWithReader() throws Exception {
        CompletableFuture<FileAttr> after = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame f = peer.read();
        peer.reply(f.tag(), ScriptedPeer.attrOfSize(9));
        assertEquals(9, after.get(10, TimeUnit.SECONDS).size());
    }

    /** An Rread frame carrying {@code count} bytes of the file at {@code offset}. */
    private static byte[] rread(int tag, long offset, int count) {
        ByteBuffer data = ByteBuffer.allocate(count);
        for (int k = 0; k < count; k++) {
            data.put(k, pattern(offset + k));
        }
        Message.Rread m = new Message.Rread(data);
        ByteBuffer frame = ByteBuffer.allocate(Codec.encodedSize(m)).order(ByteOrder.LITTLE_ENDIAN);
        Codec.encode(tag, m, frame);
        return frame.array();
    }

    private static byte pattern(long position) {
        return (byte) (position * 31 + (position >>> 8) + 1);
    }

    private static ByteBuffer untouched(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put(i, UNTOUCHED);
        }
        return b;
    }

    /** Waits until the 4 bytes before {@code at + count} of {@code dst} hold the file's (written by another thread). */
    private static void awaitBytes(ByteBuffer dst, int at, int count, long fileOffset) {
        int index = (at + count - 4) & ~3;
        int expected = 0;
        for (int i = 3; i >= 0; i--) {
            expected = expected << 8 | pattern(fileOffset + index - at + i) & 0xff;
        }
        while ((int) INT.getVolatile(dst, index) != expected) {
            Thread.onSpinWait(); // bounded by the test's timeout
        }
    }

    private static void assertPattern(ByteBuffer buffer, int at, int count, long fileOffset) {
        ByteBuffer dst = buffer.duplicate().clear();
        for (int k = 0; k < count; k++) {
            if (dst.get(at + k) != pattern(fileOffset + k)) {
                throw new AssertionError("byte " + k + " of the read (file offset " + (fileOffset + k) + ")");
            }
        }
    }

    private static void assertUntouched(ByteBuffer buffer, int at, int count) {
        ByteBuffer dst = buffer.duplicate().clear();
        for (int k = at; k < at + count; k++) {
            if (dst.get(k) != UNTOUCHED) {
                throw new AssertionError("byte " + k + " of the buffer was written");
            }
        }
    }

    private static byte[] contents(ByteBuffer b) {
        byte[] copy = new byte[b.capacity()];
        b.get(0, copy);
        return copy;
    }
}
