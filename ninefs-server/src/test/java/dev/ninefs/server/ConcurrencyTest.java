// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message.*;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many requests in flight on one connection, and the per-connection limits. */
@Timeout(120)
class ConcurrencyTest {
    private static final int IN_FLIGHT = 64;

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void sixtyFourRequestsInFlightAreAnsweredAsTheyFinish(TestServer.Transport transport) throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> {
            for (int i = 0; i < IN_FLIGHT; i++) {
                r.file("f" + i, "");
            }
        }).build();
        GatedFileSystem gated = new GatedFileSystem(fs);
        List<GatedFileSystem.Gate> gates = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            gates.add(gated.gate("f" + i, true));
        }
        try (TestServer s = TestServer.start(NinefsServer.builder().export("", gated).build(), transport);
                RawClient c = s.client()) {
            c.attach(0, "");
            int[] tags = new int[IN_FLIGHT];
            for (int i = 0; i < IN_FLIGHT; i++) {
                c.walk(0, 100 + i, "f" + i);
            }
            for (int i = 0; i < IN_FLIGHT; i++) {
                tags[i] = c.send(new Tgetattr(100 + i, 0x7ff));
            }
            for (GatedFileSystem.Gate g : gates) {
                assertTrue(g.awaitEntered(), "all 64 must be running at once");
            }
            for (int i = 0; i < 2 + IN_FLIGHT; i++) {
                c.nextArrival(); // Rversion, Rattach and the 64 Rwalks
            }
            // Open the gates last to first: the replies come in that order, not in the order sent.
            for (int i = IN_FLIGHT - 1; i >= 0; i--) {
                gates.get(i).open();
                Frame f = c.nextArrival();
                assertEquals(tags[i], f.tag());
                assertInstanceOf(Rgetattr.class, f.message());
            }
        }
    }

    @Test
    void beyondMaxInFlightTheServerStopsReading() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> r.file("a", "").file("b", "").file("c", ""))
                .build();
        GatedFileSystem gated = new GatedFileSystem(fs);
        GatedFileSystem.Gate a = gated.gate("a", true);
        GatedFileSystem.Gate b = gated.gate("b", true);
        GatedFileSystem.Gate third = gated.gate("c", true);
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", gated).maxInFlight(2).build());
                RawClient c = s.client()) {
            c.attach(0, "");
            c.walk(0, 1, "a");
            c.walk(0, 2, "b");
            c.walk(0, 3, "c");
            int ta = c.send(new Tgetattr(1, 1));
            int tb = c.send(new Tgetattr(2, 1));
            int tc = c.send(new Tgetattr(3, 1));
            assertTrue(a.awaitEntered());
            assertTrue(b.awaitEntered());
            // Not a wait for something to happen: a bounded check that it does not.
            assertFalse(third.entered.await(300, TimeUnit.MILLISECONDS), "a third request ran beyond the limit");
            b.open();
            assertInstanceOf(Rgetattr.class, c.reply(tb));
            assertTrue(third.awaitEntered());
            third.open();
            a.open();
            assertInstanceOf(Rgetattr.class, c.reply(tc));
            assertInstanceOf(Rgetattr.class, c.reply(ta));
        }
    }

    @Test
    void fidLimitIsEmfile() throws Exception {
        SynthFileSystem fs = SynthFileSystem.create();
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", fs).maxFids(10).build());
                RawClient c = s.client()) {
            c.attach(0, "");
            for (int i = 1; i < 10; i++) {
                c.walk(0, i);
            }
            assertEquals(Errno.EMFILE, c.error(new Twalk(0, 10, List.of())));
            assertEquals(Errno.EMFILE, c.error(new Tattach(10, -1, "u", "", 0)));
            c.clunk(5);
            c.walk(0, 10);
            // Another connection has its own fids.
            try (RawClient other = s.client()) {
                other.attach(0, "");
            }
        }
    }

    @Test
    void oneHundredThousandFidsOnOneConnection() throws Exception {
        final int fids = 100_000;
        final int window = 512;
        CountingFileSystem counting = new CountingFileSystem(
                SynthFileSystem.builder().contents(r -> r.file("f", "data")).build());
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", counting).build());
                RawClient c = RawClient.connectQuiet(s.endpoint)) {
            c.ok(new Tversion(65536, "9P2000.L"), Rversion.class);
            c.attach(0, "");
            pipelined(c, fids, window, i -> new Twalk(0, 1 + i, List.of("f")), Rwalk.class);
            assertEquals(fids + 1, counting.nodesOpen.get());
            pipelined(c, fids, window, i -> new Tlopen(1 + i, 0), Rlopen.class);
            assertEquals(fids, counting.filesOpen.get());
            assertEquals("data", new String(c.read(fids / 2, 0, 10), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("data", new String(c.read(fids, 0, 10), java.nio.charset.StandardCharsets.UTF_8));
            pipelined(c, fids, window, i -> new Tclunk(1 + i), Rclunk.class);
            assertEquals(0, counting.filesOpen.get());
            assertEquals(1, counting.nodesOpen.get());
        }
        assertEquals(0, counting.nodesOpen.get());
        assertEquals(0, counting.doubleCloses.get());
    }

    /** Sends {@code n} requests keeping {@code window} in flight, and checks every reply's type. */
    private static void pipelined(RawClient c, int n, int window, java.util.function.IntFunction<Request> make,
            Class<? extends Response> expected) throws Exception {
        int[] tags = new int[n];
        int answered = 0;
        for (int i = 0; i < n; i++) {
            if (i - answered >= window) {
                assertInstanceOf(expected, c.reply(tags[answered]), "request " + answered);
                answered++;
            }
            tags[i] = c.send(make.apply(i));
        }
        for (; answered < n; answered++) {
            assertInstanceOf(expected, c.reply(tags[answered]), "request " + answered);
        }
    }
}
