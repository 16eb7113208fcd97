// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed input costs the sender its connection at most; everyone else keeps being served. */
@Timeout(60)
class HostileFramesTest {
    private TestServer server;
    private RawClient bystander;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.tcp(NinefsServer.builder()
                .export("", SynthFileSystem.builder().contents(r -> r.file("f", "x")).build())
                .maxMsize(8192).build());
        bystander = server.client(8192);
        bystander.attach(0, "");
    }

    @AfterEach
    void stop() throws Exception {
        bystander.close();
        server.close();
    }

    private void bystanderStillServed() throws Exception {
        bystander.walk(0, 1, "f");
        bystander.getattr(1);
        bystander.clunk(1);
    }

    private static ByteBuffer header(int size, int type, int tag, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(7 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(size).put((byte) type).putShort((short) tag);
        return b;
    }

    @Test
    void sizeBelowSevenClosesOnlyThatConnection() throws Exception {
        try (RawClient evil = server.client(8192)) {
            evil.sendRaw(header(3, Message.TCLUNK, 1, 0).flip());
            assertTrue(evil.awaitHangUp());
        }
        bystanderStillServed();
    }

    @Test
    void sizeAboveMsizeClosesOnlyThatConnection() throws Exception {
        try (RawClient evil = server.client(8192)) {
            // Claims 2 GiB; the server must neither allocate it nor wait for it.
            evil.sendRaw(header(Integer.MAX_VALUE, Message.TWRITE, 1, 0).flip());
            assertTrue(evil.awaitHangUp());
        }
        try (RawClient evil = server.client(4096)) {
            // Above the negotiated msize, although below the server's maximum.
            ByteBuffer b = header(5000, Message.TWRITE, 1, 5000 - 7);
            evil.sendRaw(b.position(b.limit()).flip());
            assertTrue(evil.awaitHangUp());
        }
        bystanderStillServed();
    }

    @Test
    void aGarbageBodyGetsRlerrorAndTheConnectionLives() throws Exception {
        try (RawClient evil = server.client(8192)) {
            evil.attach(0, "");
            // A Twalk whose nwname promises five names that are not there.
            ByteBuffer b = header(7 + 10, Message.TWALK, 5, 10);
            b.putInt(0).putInt(1).putShort((short) 5);
            evil.sendRaw(5, b.flip());
            Rlerror e = assertInstanceOf(Rlerror.class, evil.reply(5));
            assertEquals(Errno.EPROTO.code(), e.ecode());
            // A string whose length runs past the frame.
            ByteBuffer s = header(7 + 4 + 2, Message.TMKDIR, 6, 6);
            s.putInt(0).putShort((short) 1000);
            evil.sendRaw(6, s.flip());
            assertInstanceOf(Rlerror.class, evil.reply(6));
            evil.getattr(0);
        }
        bystanderStillServed();
    }

    @Test
    void anUnknownTypeGetsEopnotsupp() throws Exception {
        try (RawClient evil = server.client(8192)) {
            evil.sendRaw(9, header(7 + 3, 200, 9, 3).put(new byte[3]).flip());
            assertEquals(new Rlerror(Errno.EOPNOTSUPP.code()), evil.reply(9));
            // Tlerror (6) exists in the numbering but is no request.
            evil.sendRaw(10, header(7, Message.TLERROR, 10, 0).flip());
            assertInstanceOf(Rlerror.class, evil.reply(10));
            evil.attach(0, "");
        }
        bystanderStillServed();
    }

    @Test
    void aReplyMessageFromTheClientGetsRlerror() throws Exception {
        try (RawClient evil = server.client(8192)) {
            evil.sendRaw(3, header(7, Message.RCLUNK, 3, 0).flip());
            assertInstanceOf(Rlerror.class, evil.reply(3));
            evil.attach(0, "");
        }
    }

    @Test
    void aTruncatedStreamClosesOnlyThatConnection() throws Exception {
        RawClient evil = server.client(8192);
        ByteBuffer b = header(100, Message.TWRITE, 1, 20);
        evil.sendRaw(b.position(b.limit()).flip());
        evil.close();
        bystanderStillServed();
    }
}
