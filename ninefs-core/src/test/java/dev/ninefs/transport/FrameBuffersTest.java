// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FrameBuffersTest {
    private static final int BIG = 256 << 10;

    private static ByteBuffer wire(Message m) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(9, m, b);
        return b.flip();
    }

    private static ByteBuffer twrite(int bytes, byte fill) {
        byte[] data = new byte[bytes];
        java.util.Arrays.fill(data, fill);
        return wire(new Message.Twrite(1, 0, ByteBuffer.wrap(data)));
    }

    private static Message.Twrite decode(ByteBuffer frame) throws ProtocolException {
        return (Message.Twrite) Codec.decode(frame).message();
    }

    @Test
    void aLargeTwriteComesInADirectBufferWithItsBytesIntact() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(1 << 20);
        ByteBuffer frame = a.next(twrite(BIG, (byte) 7));
        assertTrue(frame.isDirect());
        assertEquals(1, a.lent());
        Message.Twrite w = decode(frame);
        assertEquals(BIG, w.data().remaining());
        for (int i = 0; i < BIG; i += 4096) {
            assertEquals(7, w.data().get(i));
        }
        FrameBuffers.give(w.data());
        assertEquals(0, a.lent());
    }

    @Test
    void smallFramesAndOtherTypesStayOnTheHeap() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(1 << 20);
        assertFalse(a.next(twrite(100, (byte) 1)).isDirect(), "a small Twrite");
        assertFalse(a.next(wire(new Message.Rread(ByteBuffer.allocate(BIG)))).isDirect(), "an Rread: the client's");
        assertEquals(0, a.lent());
    }

    @Test
    void aBufferGivenBackIsReusedAndGivingTwiceIsHarmless() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(1 << 20);
        Message.Twrite first = decode(a.next(twrite(BIG, (byte) 1)));
        long address = MemorySegment.ofBuffer(first.data()).address();
        FrameBuffers.give(first.data());
        FrameBuffers.give(first.data());
        assertEquals(0, a.lent());
        Message.Twrite second = decode(a.next(twrite(BIG, (byte) 2)));
        assertEquals(address, MemorySegment.ofBuffer(second.data()).address(), "the same memory, from the pool");
        assertEquals(2, second.data().get(0));
        assertEquals(1, a.lent());
        FrameBuffers.give(second.data());
    }

    @Test
    void buffersThatAreNotLentAreIgnored() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(1 << 20);
        Message.Twrite w = decode(a.next(twrite(BIG, (byte) 1)));
        FrameBuffers.give(ByteBuffer.allocateDirect(BIG));
        FrameBuffers.give(ByteBuffer.allocate(BIG));
        FrameBuffers.give(w.data().slice(8192, 100)); // a view that does not start in the buffer's first page
        assertEquals(1, a.lent());
        FrameBuffers.give(w.data());
        assertEquals(0, a.lent());
    }

    @Test
    void oneConnectionCannotHoldMoreThanItsShare() throws ProtocolException {
        FrameAssembler greedy = new FrameAssembler(1 << 20);
        List<Message.Twrite> held = new ArrayList<>();
        for (int i = 0; i < FrameBuffers.PER_CONNECTION; i++) {
            ByteBuffer f = greedy.next(twrite(BIG, (byte) i));
            assertTrue(f.isDirect());
            held.add(decode(f));
        }
        ByteBuffer over = greedy.next(twrite(BIG, (byte) 99));
        assertFalse(over.isDirect(), "past its share a connection gets heap frames");
        assertEquals(99, decode(over).data().get(BIG - 1));
        FrameAssembler other = new FrameAssembler(1 << 20);
        ByteBuffer theirs = other.next(twrite(BIG, (byte) 5));
        assertTrue(theirs.isDirect(), "another connection still gets its own");
        FrameBuffers.give(decode(theirs).data());
        for (Message.Twrite w : held) {
            FrameBuffers.give(w.data());
        }
        assertEquals(0, greedy.lent());
        assertTrue(greedy.next(twrite(BIG, (byte) 1)).isDirect(), "the share comes back with the buffers");
    }

    @Test
    void aHostileSizeIsRejectedBeforeAnythingIsTaken() {
        FrameAssembler a = new FrameAssembler(1 << 16);
        ByteBuffer header = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 20)
                .put(4, (byte) Message.TWRITE);
        assertThrows(ProtocolException.class, () -> a.next(header));
        assertNull(a.partialFrame());
        assertEquals(0, a.lent());
    }

    @Test
    void theTypeByteIsAwaitedBeforeTheFrameIsAllocated() throws ProtocolException {
        ByteBuffer all = twrite(BIG, (byte) 3);
        FrameAssembler a = new FrameAssembler(1 << 20);
        assertNull(a.next(all.duplicate().limit(4)));
        assertNull(a.partialFrame(), "size known, type not yet");
        assertTrue(a.inFrame());
        assertNull(a.next(all.duplicate().position(4).limit(5)));
        assertTrue(a.partialFrame().isDirect());
        ByteBuffer f = a.next(all.duplicate().position(5));
        assertEquals(all, f);
        FrameBuffers.give(decode(f).data());
    }

    /** Takes a frame and keeps no reference to it. */
    private static void takeAndDrop(FrameAssembler a) throws ProtocolException {
        assertTrue(a.next(twrite(BIG, (byte) 1)).isDirect());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBufferNeverGivenBackIsWrittenOffOnceUnreachable() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(1 << 20);
        takeAndDrop(a);
        assertNotEquals(0, a.lent());
        while (a.lent() != 0) {
            System.gc();
            FrameBuffers.lentCount(); // writes off what the collector found unreachable
        }
        assertEquals(0, a.lent());
    }
}
