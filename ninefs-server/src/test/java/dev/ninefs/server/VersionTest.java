// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VersionTest {
    private GatedFileSystem gated;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().contents(root -> root.file("slow", "x")).build();
        gated = new GatedFileSystem(fs);
        server = TestServer.tcp(NinefsServer.builder().export("", gated).maxMsize(65536).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void msizeIsTheSmallerOfClientAndServer() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals(new Rversion(8192, "9P2000.L"), c.call(new Tversion(8192, "9P2000.L")));
            assertEquals(new Rversion(65536, "9P2000.L"), c.call(new Tversion(1 << 20, "9P2000.L")));
            // u32 msize: 0xffffffff is a huge request, not a negative one.
            assertEquals(new Rversion(65536, "9P2000.L"), c.call(new Tversion(-1, "9P2000.L")));
        }
    }

    @Test
    void msizeBelow4096IsRefusedWithEmsgsize() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals(Errno.EMSGSIZE, c.error(new Tversion(4095, "9P2000.L")));
            assertEquals(Errno.EPROTO, c.error(new Tattach(0, Message.NOFID, "u", "", 0)));
            assertEquals(new Rversion(4096, "9P2000.L"), c.call(new Tversion(4096, "9P2000.L")));
        }
    }

    @Test
    void unknownVersionIsAnsweredUnknown() throws Exception {
        try (RawClient c = server.raw()) {
            for (String v : List.of("9P2000", "9P2000.u", "9P2000.L.x", "foo", "")) {
                Rversion r = assertInstanceOf(Rversion.class, c.call(new Tversion(8192, v)));
                assertEquals("unknown", r.version(), v);
            }
            assertEquals(Errno.EPROTO, c.error(new Tattach(0, Message.NOFID, "u", "", 0)));
        }
    }

    @Test
    void requestsBeforeTversionGetEproto() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals(Errno.EPROTO, c.error(new Tattach(0, Message.NOFID, "u", "", 0)));
            assertEquals(Errno.EPROTO, c.error(new Tclunk(0)));
            c.ok(new Tversion(8192, "9P2000.L"), Rversion.class);
            c.attach(0, "");
        }
    }

    @Test
    void tversionMidSessionClunksFidsAndAbortsRequests() throws Exception {
        GatedFileSystem.Gate gate = gated.gate("slow", true);
        try (RawClient c = server.client()) {
            c.attach(0, "");
            c.walk(0, 1, "slow");
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(gate.awaitEntered());
            assertEquals(new Rversion(8192, "9P2000.L"), c.call(new Tversion(8192, "9P2000.L")));
            // The request in flight was aborted before Rversion and gets no reply, ever.
            assertEquals(Errno.EBADF, c.error(new Tclunk(0)));
            assertEquals(Errno.EBADF, c.error(new Tclunk(1)));
            assertTrue(gate.awaitInterrupted());
            c.attach(0, "");
            c.clunk(0);
            assertTrue(!c.answered(blocked), "an aborted request was answered");
        }
    }
}
