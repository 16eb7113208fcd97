// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.protocol.Qid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FrameAssemblerTest {
    private static final List<Message> MESSAGES = List.of(
            new Message.Rclunk(),
            new Message.Tversion(8192, "9P2000.L"),
            new Message.Twalk(1, 2, List.of("usr", "share", "döc")),
            new Message.Rread(ByteBuffer.wrap(new byte[300])),
            new Message.Rreaddir(List.of(new Dirent(new Qid(Qid.QTDIR, 0, 1), 1, Dirent.DT_DIR, "."))),
            new Message.Rlerror(2));

    private static byte[] frame(int tag, Message m) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(tag, m, b);
        return b.array();
    }

    private static byte[] allFrames() {
        ByteBuffer all = ByteBuffer.allocate(MESSAGES.stream().mapToInt(Codec::encodedSize).sum());
        for (int i = 0; i < MESSAGES.size(); i++) {
            Codec.encode(i, MESSAGES.get(i), all);
        }
        return all.array();
    }

    /** Feeds the pieces in order and collects every frame that comes out. */
    private static List<ByteBuffer> feed(FrameAssembler a, ByteBuffer... pieces) throws ProtocolException {
        List<ByteBuffer> frames = new ArrayList<>();
        for (ByteBuffer piece : pieces) {
            ByteBuffer f;
            while ((f = a.next(piece)) != null) {
                frames.add(f);
            }
            assertFalse(piece.hasRemaining(), "a null result means the piece was used up");
        }
        return frames;
    }

    @Test
    void oneFrameSplitInTwoAtEveryOffset() throws ProtocolException {
        for (Message m : MESSAGES) {
            byte[] wire = frame(7, m);
            for (int cut = 0; cut <= wire.length; cut++) {
                FrameAssembler a = new FrameAssembler(1 << 16);
                List<ByteBuffer> got = feed(a, ByteBuffer.wrap(wire, 0, cut), ByteBuffer.wrap(wire, cut, wire.length - cut));
                assertEquals(List.of(ByteBuffer.wrap(wire)), got, m + " cut at " + cut);
                assertEquals(0, got.getFirst().position());
                assertEquals(new dev.ninefs.protocol.Frame(7, m), Codec.decode(got.getFirst()));
                assertFalse(a.inFrame());
            }
        }
    }

    @Test
    void severalFramesConcatenatedAndSplitInTwoAtEveryOffset() throws ProtocolException {
        byte[] wire = allFrames();
        for (int cut = 0; cut <= wire.length; cut++) {
            FrameAssembler a = new FrameAssembler(1 << 16);
            List<ByteBuffer> got = feed(a, ByteBuffer.wrap(wire, 0, cut), ByteBuffer.wrap(wire, cut, wire.length - cut));
            assertEquals(MESSAGES.size(), got.size(), "cut at " + cut);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(new dev.ninefs.protocol.Frame(i, MESSAGES.get(i)), Codec.decode(got.get(i)), "cut " + cut);
            }
        }
    }

    @Test
    void severalFramesSplitInThreeAtEveryPairOfOffsets() throws ProtocolException {
        byte[] wire = allFrames();
        for (int i = 0; i <= wire.length; i += 3) {
            for (int j = i; j <= wire.length; j += 5) {
                FrameAssembler a = new FrameAssembler(1 << 16);
                List<ByteBuffer> got = feed(a, ByteBuffer.wrap(wire, 0, i), ByteBuffer.wrap(wire, i, j - i),
                        ByteBuffer.wrap(wire, j, wire.length - j));
                assertEquals(MESSAGES.size(), got.size(), "cuts " + i + ", " + j);
            }
        }
    }

    @Test
    void oneByteAtATime() throws ProtocolException {
        byte[] wire = allFrames();
        FrameAssembler a = new FrameAssembler(1 << 16);
        List<ByteBuffer> got = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            ByteBuffer f = a.next(ByteBuffer.wrap(wire, i, 1));
            if (f != null) {
                got.add(f);
            } else {
                assertTrue(a.inFrame(), "inside a frame at byte " + i);
            }
        }
        assertEquals(MESSAGES.size(), got.size());
        assertFalse(a.inFrame());
    }

    @Test
    void sizeFieldsOutsideTheLimitsAreRejectedAsSoonAsTheyAreComplete() {
        for (int size : new int[] {0, 1, 6, 8193, 0x7fff_ffff, 0xffff_ffff}) {
            FrameAssembler a = new FrameAssembler(8192);
            ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, size);
            assertThrows(ProtocolException.class, () -> a.next(header), "size " + Integer.toUnsignedString(size));
            assertNull(a.partialFrame(), "nothing allocated for a bad size");
        }
    }

    @Test
    void sizeFieldsAtTheLimitsAreAccepted() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(8192);
        ByteBuffer seven = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 7);
        assertEquals(7, a.next(seven).remaining());
        ByteBuffer max = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 8192);
        assertEquals(8192, a.next(max).remaining());
    }

    @Test
    void theLimitCanChangeBetweenFrames() throws ProtocolException {
        FrameAssembler a = new FrameAssembler(100);
        ByteBuffer big = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 200);
        assertThrows(ProtocolException.class, () -> a.next(big.duplicate()));
        FrameAssembler b = new FrameAssembler(100);
        b.maxSize(200);
        assertEquals(200, b.next(big.duplicate()).remaining());
    }

    @Test
    void aLargeRemainderCanBeReadStraightIntoThePartialFrame() throws ProtocolException {
        byte[] wire = frame(3, new Message.Rread(ByteBuffer.wrap(new byte[5000])));
        FrameAssembler a = new FrameAssembler(1 << 16);
        assertNull(a.next(ByteBuffer.wrap(wire, 0, 10)));
        ByteBuffer partial = a.partialFrame();
        assertEquals(10, partial.position());
        partial.put(wire, 10, wire.length - 10);
        ByteBuffer f = a.next(ByteBuffer.allocate(0));
        assertEquals(ByteBuffer.wrap(wire), f);
        assertNull(a.partialFrame());
    }
}
