// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile or broken peer can send: every outcome must be a ProtocolException, with the tag when known. */
class CodecHostileInputTest {
    private static final int TAG = 0x4321;

    static Stream<Message> samples() {
        return MessageSamples.all().stream();
    }

    private static byte[] encode(Message m) {
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(TAG, m, out);
        return out.array();
    }

    /** Builds a frame from hex body fields with a correct size field. */
    private static ByteBuffer frame(int type, String bodyHex) {
        byte[] body = HexFormat.of().parseHex(bodyHex.replace(" ", ""));
        ByteBuffer b = ByteBuffer.allocate(7 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(7 + body.length).put((byte) type).putShort((short) TAG).put(body);
        return b.flip().order(ByteOrder.BIG_ENDIAN);
    }

    private static ProtocolException rejected(ByteBuffer frame) {
        return assertThrows(ProtocolException.class, () -> Codec.decode(frame));
    }

    private static void rejectedWithTag(ByteBuffer frame, Errno errno) {
        ProtocolException e = rejected(frame);
        assertEquals(TAG, e.tag(), e.getMessage());
        assertEquals(frame.get(4) & 0xff, e.type());
        assertEquals(errno, e.errno(), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationWithItsSizeFieldFixedIsRejectedWithTheTag(Message m) {
        byte[] wire = encode(m);
        for (int len = 0; len < wire.length; len++) {
            ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(wire, len));
            if (len >= 4) {
                cut.order(ByteOrder.LITTLE_ENDIAN).putInt(0, len).order(ByteOrder.BIG_ENDIAN);
            }
            ProtocolException e = rejected(cut);
            assertEquals(len >= 7 ? TAG : ProtocolException.NO_TAG, e.tag(), "length " + len);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationThatDisagreesWithItsSizeFieldIsRejectedWithoutTag(Message m) {
        byte[] wire = encode(m);
        for (int len = 0; len < wire.length; len++) {
            ProtocolException e = rejected(ByteBuffer.wrap(wire, 0, len));
            assertEquals(ProtocolException.NO_TAG, e.tag(), "length " + len);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void trailingGarbageAfterTheBodyIsRejected(Message m) {
        byte[] wire = Arrays.copyOf(encode(m), Codec.encodedSize(m) + 3);
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN).putInt(0, wire.length);
        rejectedWithTag(b, Errno.EPROTO);
    }

    @Test
    void sizeFieldBelowSevenOrAboveTheBufferIsRejected() {
        ByteBuffer b = frame(Message.TCLUNK, "01000000");
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(0, 3);
        assertEquals(ProtocolException.NO_TAG, rejected(b).tag());
        b.putInt(0, 0xffff_ffff);
        assertEquals(ProtocolException.NO_TAG, rejected(b).tag());
        b.putInt(0, 12);
        assertEquals(ProtocolException.NO_TAG, rejected(b).tag());
    }

    @Test
    void stringsRunningPastTheFrameAreRejected() {
        rejectedWithTag(frame(Message.TVERSION, "00200000 ffff 3950"), Errno.EPROTO);
        rejectedWithTag(frame(Message.TATTACH, "01000000 ffffffff 0400 726f6f74 0500 2f737276"), Errno.EPROTO);
    }

    @Test
    void countsRunningPastTheFrameAreRejectedWithoutAllocating() {
        // Twrite count 0x7fffffff and 0xffffffff with 2 bytes of data: must not try to allocate or slice 2 GiB.
        rejectedWithTag(frame(Message.TWRITE, "03000000 0000000000000000 ffffff7f 6869"), Errno.EPROTO);
        rejectedWithTag(frame(Message.TWRITE, "03000000 0000000000000000 ffffffff 6869"), Errno.EPROTO);
        rejectedWithTag(frame(Message.TWRITE, "03000000 0000000000000000 03000000 6869"), Errno.EPROTO);
        rejectedWithTag(frame(Message.RREAD, "ffffffff 00"), Errno.EPROTO);
        rejectedWithTag(frame(Message.RREADDIR, "ffffff7f"), Errno.EPROTO);
        rejectedWithTag(frame(Message.RWALK, "1000 80 00000000 0000000000000000"), Errno.EPROTO);
        rejectedWithTag(frame(Message.TWALK, "01000000 02000000 1000 0100 61"), Errno.EPROTO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1100", "ffff"})
    void moreThanSixteenWalkNamesIsEinvalWithTheTag(String nwname) {
        String names = "0100 61 ".repeat(17);
        rejectedWithTag(frame(Message.TWALK, "01000000 02000000 " + nwname + " " + names), Errno.EINVAL);
        rejectedWithTag(frame(Message.RWALK, nwname), Errno.EINVAL);
    }

    @Test
    void sixteenWalkNamesAreAccepted() throws ProtocolException {
        Message m = Codec.decode(frame(Message.TWALK, "01000000 02000000 1000 " + "0100 61 ".repeat(16))).message();
        assertEquals(16, ((Message.Twalk) m).wnames().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 10, 106, 107, 112, 114, 124, 126, 200, 255})
    void unknownAndLegacyTypesAreEopnotsuppWithTagAndType(int type) {
        ByteBuffer f = frame(type, "01000000");
        ProtocolException e = rejected(f);
        assertEquals(TAG, e.tag());
        assertEquals(type, e.type());
        assertEquals(Errno.EOPNOTSUPP, e.errno());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e08080", "eda080", "edbfbf", "f4908080", "f5808080", "ff", "80", "e282",
            "61e2", "f09f98", "c2"})
    void malformedUtf8IsRejected(String bad) {
        int len = bad.length() / 2;
        String lenHex = String.format("%02x00", len);
        rejectedWithTag(frame(Message.TVERSION, "00200000 " + lenHex + bad), Errno.EPROTO);
        ByteBuffer heap = frame(Message.TVERSION, "00200000 " + lenHex + bad);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        rejectedWithTag(direct, Errno.EPROTO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c280", "dfbf", "e0a080", "efbfbf", "ee8080", "f0908080", "f48fbfbf", "00"})
    void wellFormedUtf8EdgesAreAccepted(String good) throws ProtocolException {
        int len = good.length() / 2;
        Message m = Codec.decode(frame(Message.TVERSION, String.format("00200000 %02x00", len) + good)).message();
        byte[] expect = HexFormat.of().parseHex(good);
        assertEquals(new String(expect, java.nio.charset.StandardCharsets.UTF_8), ((Message.Tversion) m).version());
    }

    @Test
    void readdirEntriesOverrunningTheirCountAreRejected() {
        String entry = "80 00000000 1000000000000000 0100000000000000 04 0100 2e"; // 25 bytes
        // count 24 cuts the entry's name; the 25th byte is left after count
        rejectedWithTag(frame(Message.RREADDIR, "18000000 " + entry), Errno.EPROTO);
        // count 26 leaves one byte that is not a whole entry
        rejectedWithTag(frame(Message.RREADDIR, "1a000000 " + entry + " 00"), Errno.EPROTO);
        // count 25 with a byte after it: trailing garbage
        rejectedWithTag(frame(Message.RREADDIR, "19000000 " + entry + " 00"), Errno.EPROTO);
        try {
            Codec.decode(frame(Message.RREADDIR, "19000000 " + entry));
        } catch (ProtocolException e) {
            fail("the exact entry must decode", e);
        }
    }
}
