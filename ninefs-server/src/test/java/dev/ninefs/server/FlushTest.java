// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tflush as flush(5) says it: the flushed request's reply, if any, always comes before the Rflush. */
@Timeout(60)
class FlushTest {
    private GatedFileSystem gated;
    private NinefsServer server;

    @BeforeEach
    void build() {
        gated = new GatedFileSystem(SynthFileSystem.builder().contents(r -> r.file("slow", "x")).build());
        server = NinefsServer.builder().export("", gated).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static RawClient walkToSlow(TestServer s) throws Exception {
        RawClient c = s.client();
        c.attach(0, "");
        c.walk(0, 1, "slow");
        return c;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void aBlockedRequestIsCancelledAndOnlyRflushComes(TestServer.Transport transport) throws Exception {
        GatedFileSystem.Gate gate = gated.gate("slow", true);
        try (TestServer s = TestServer.start(server, transport); RawClient c = walkToSlow(s)) {
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(gate.awaitEntered());
            c.skipArrivals(3); // version, attach, walk
            int flush = c.send(new Tflush(blocked));
            Frame first = c.nextArrival();
            assertEquals(flush, first.tag());
            assertInstanceOf(Rflush.class, first.message());
            assertTrue(gate.awaitInterrupted());
            // The tag is free again: a new request under it is fine and is answered.
            gate.open();
            c.send(blocked, new Tgetattr(1, 0x7ff));
            Frame next = c.nextArrival();
            assertEquals(blocked, next.tag());
            assertInstanceOf(Rgetattr.class, next.message());
        }
    }

    @Test
    void aRequestThatCompletesAnywayIsAnsweredBeforeRflush() throws Exception {
        GatedFileSystem.Gate gate = gated.gate("slow", false);
        try (TestServer s = TestServer.tcp(server); RawClient c = walkToSlow(s)) {
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(gate.awaitEntered());
            c.skipArrivals(3);
            int flush1 = c.send(new Tflush(blocked));
            int flush2 = c.send(new Tflush(blocked));
            assertTrue(gate.awaitInterrupted());
            // Both flushes are registered once the second has been read; a third request proves it.
            int probe = c.send(new Tclunk(42));
            Frame probeReply = c.nextArrival();
            assertEquals(probe, probeReply.tag());
            gate.open();
            Frame reply = c.nextArrival();
            assertEquals(blocked, reply.tag());
            assertInstanceOf(Rgetattr.class, reply.message());
            assertEquals(flush1, c.nextArrival().tag());
            assertEquals(flush2, c.nextArrival().tag());
        }
    }

    @Test
    void flushOfAnUnknownTagIsAnsweredAtOnce() throws Exception {
        try (TestServer s = TestServer.tcp(server); RawClient c = s.client()) {
            assertInstanceOf(Rflush.class, c.call(new Tflush(1234)));
            c.attach(0, "");
            int done = c.send(new Tclunk(0));
            c.reply(done);
            assertInstanceOf(Rflush.class, c.call(new Tflush(done)), "a finished tag is unknown");
        }
    }

    @Test
    void aNewRequestUnderATagInFlightClosesTheConnection() throws Exception {
        GatedFileSystem.Gate gate = gated.gate("slow", true);
        try (TestServer s = TestServer.tcp(server); RawClient c = walkToSlow(s); RawClient other = s.client()) {
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(gate.awaitEntered());
            c.send(blocked, new Tgetattr(0, 0x7ff));
            assertTrue(c.awaitHangUp());
            assertTrue(gate.awaitInterrupted(), "closing the connection cancels its requests");
            other.attach(0, "");
        }
    }
}
