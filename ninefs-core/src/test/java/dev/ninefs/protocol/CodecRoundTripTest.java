// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecRoundTripTest {

    static Stream<Message> samples() {
        return MessageSamples.all().stream();
    }

    @Test
    void samplesCoverEveryMessageRecord() {
        Set<Class<?>> expected = new HashSet<>();
        expected.addAll(List.of(Message.Request.class.getPermittedSubclasses()));
        expected.addAll(List.of(Message.Response.class.getPermittedSubclasses()));
        Set<Class<?>> covered = new HashSet<>();
        for (Message m : MessageSamples.all()) {
            covered.add(m.getClass());
        }
        assertEquals(expected, covered);
        assertEquals(57, expected.size(), "28 T-messages and 29 R-messages (Rlerror has no T)");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughAHeapBuffer(Message m) throws ProtocolException {
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(0x1234, m, out);
        assertEquals(out.capacity(), out.position(), "encodedSize == bytes written");
        out.flip();
        Frame f = Codec.decode(out);
        assertEquals(new Frame(0x1234, m), f); // ByteBuffer.equals compares remaining content
        assertEquals(0, out.position(), "decode leaves the frame's position alone");
        assertEquals(ByteOrder.BIG_ENDIAN, out.order(), "decode restores the byte order");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughADirectBufferAtAnOffset(Message m) throws ProtocolException {
        int size = Codec.encodedSize(m);
        ByteBuffer out = ByteBuffer.allocateDirect(size + 20).order(ByteOrder.LITTLE_ENDIAN);
        out.position(11);
        Codec.encode(Message.NOTAG, m, out);
        assertEquals(11 + size, out.position());
        assertEquals(ByteOrder.LITTLE_ENDIAN, out.order());
        ByteBuffer frame = out.flip().position(11);
        assertEquals(new Frame(Message.NOTAG, m), Codec.decode(frame));
        assertEquals(11, frame.position());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decodesAHeapSliceWithAnArrayOffset(Message m) throws ProtocolException {
        int size = Codec.encodedSize(m);
        ByteBuffer frame = ByteBuffer.allocate(size + 13).position(13).slice();
        Codec.encode(5, m, frame);
        assertEquals(13, frame.flip().arrayOffset());
        assertEquals(new Frame(5, m), Codec.decode(frame));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encodingIsIndependentOfTheBuffersByteOrder(Message m) {
        ByteBuffer big = ByteBuffer.allocate(Codec.encodedSize(m));
        ByteBuffer little = ByteBuffer.allocate(Codec.encodedSize(m)).order(ByteOrder.LITTLE_ENDIAN);
        Codec.encode(7, m, big);
        Codec.encode(7, m, little);
        assertEquals(big.flip(), little.flip());
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void headPlusPayloadEqualsTheWholeFrame(Message m) {
        int size = Codec.encodedSize(m);
        ByteBuffer whole = ByteBuffer.allocate(size);
        Codec.encode(9, m, whole);
        ByteBuffer head = ByteBuffer.allocate(size);
        int written = Codec.encodeWithoutPayload(9, m, head);
        assertEquals(written, head.position());
        ByteBuffer payload = Codec.payload(m);
        if (payload != null) {
            head.put(payload.duplicate());
        }
        assertEquals(whole.flip(), head.flip());
    }

    @Test
    void decodedPayloadIsASliceOfTheFrameNotACopy() throws ProtocolException {
        Message.Twrite w = new Message.Twrite(1, 0, MessageSamples.bytes("abc"));
        ByteBuffer frame = ByteBuffer.allocate(Codec.encodedSize(w));
        Codec.encode(1, w, frame);
        frame.flip();
        Message.Twrite got = (Message.Twrite) Codec.decode(frame).message();
        frame.put(frame.limit() - 1, (byte) 'z');
        assertEquals(MessageSamples.bytes("abz"), got.data());
        assertTrue(got.data().array() == frame.array(), "shares the frame's array");
    }

    @Test
    void encodingLeavesThePayloadPositionAlone() {
        ByteBuffer data = MessageSamples.bytes("0123456789").position(3);
        Message.Rread r = new Message.Rread(data);
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(r));
        Codec.encode(1, r, out);
        assertEquals(3, data.position());
        assertEquals(Codec.HEADER_SIZE + 4 + 7, out.position());
    }

    @Test
    void tooSmallABufferWritesNothing() {
        Message m = new Message.Tversion(8192, "9P2000.L");
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m) - 1);
        assertThrows(BufferOverflowException.class, () -> Codec.encode(0, m, out));
        assertEquals(0, out.position());
    }

    @Test
    void whatTheWireCannotCarryIsRefusedBeforeWriting() {
        ByteBuffer out = ByteBuffer.allocate(1 << 18);
        assertThrows(IllegalArgumentException.class,
                () -> Codec.encode(0, new Message.Twalk(1, 2, java.util.Collections.nCopies(17, "x")), out));
        assertThrows(IllegalArgumentException.class,
                () -> Codec.encode(0, new Message.Rreadlink("x".repeat(65536)), out));
        assertThrows(IllegalArgumentException.class, () -> Codec.encode(0x10000, new Message.Rclunk(), out));
        assertEquals(0, out.position());
        Codec.encode(0, new Message.Rreadlink("x".repeat(65535)), out); // the largest that fits
        assertEquals(Codec.HEADER_SIZE + 2 + 65535, out.position());
    }

    @Test
    void unpairedSurrogatesAreSizedAsTheyAreEncoded() {
        Message m = new Message.Rreadlink("a\ud800b\udc00c😀");
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(0, m, out);
        assertEquals(out.capacity(), out.position());
    }
}
