// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NullRepliesTest {
    private final NullReplies replies = new NullReplies(1 << 20, 3);

    private static Message decode(byte[] frame) throws ProtocolException {
        return Codec.decode(ByteBuffer.wrap(frame)).message();
    }

    @Test
    void everyRequestTypeGetsAReplyOfItsOwnTypeThatTheCodecReads() throws ProtocolException {
        int[] requests = {Message.TSTATFS, Message.TLOPEN, Message.TLCREATE, Message.TSYMLINK, Message.TMKNOD,
            Message.TRENAME, Message.TREADLINK, Message.TGETATTR, Message.TSETATTR, Message.TXATTRWALK,
            Message.TXATTRCREATE, Message.TFSYNC, Message.TLOCK, Message.TGETLOCK, Message.TLINK, Message.TMKDIR,
            Message.TRENAMEAT, Message.TUNLINKAT, Message.TATTACH, Message.TFLUSH, Message.TCLUNK, Message.TREMOVE};
        for (int type : requests) {
            Message reply = decode(replies.forType(type));
            assertEquals(type + 1, reply.type(), "reply to type " + type);
        }
        assertInstanceOf(Message.Rlerror.class, decode(replies.forType(Message.TAUTH)));
        assertInstanceOf(Message.Rlerror.class, decode(replies.forType(250)));
    }

    @Test
    void walksGetOneQidPerNameUpToSixteen() throws ProtocolException {
        for (int n = 0; n <= 16; n++) {
            Message.Rwalk w = assertInstanceOf(Message.Rwalk.class, decode(replies.walk(n)));
            assertEquals(n, w.qids().size());
        }
        assertInstanceOf(Message.Rlerror.class, decode(replies.walk(17)));
    }

    @Test
    void fakeDirectoryEntriesDecodeWithCookiesThatContinue() throws ProtocolException {
        int bytes = 0;
        for (int i = 0; i < replies.entries(); i++) {
            bytes += replies.entrySize(i);
        }
        ByteBuffer frame = ByteBuffer.allocate(NullReplies.READ_HEADER + bytes).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(frame.capacity()).put((byte) Message.RREADDIR).putShort((short) 9).putInt(bytes);
        for (int i = 0; i < replies.entries(); i++) {
            replies.putEntry(frame, i);
        }
        Frame f = Codec.decode(frame.flip());
        Message.Rreaddir r = assertInstanceOf(Message.Rreaddir.class, f.message());
        assertEquals(9, f.tag());
        assertEquals(3, r.entries().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(String.format("f%06d", i), r.entries().get(i).name());
            assertEquals(i + 1, r.entries().get(i).offset());
        }
        assertTrue(replies.all().size() > 20);
    }
}
