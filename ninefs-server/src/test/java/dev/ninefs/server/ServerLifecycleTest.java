// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.transport.Endpoint;
import dev.ninefs.transport.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a server releases everything it handed out, once. */
@Timeout(60)
class ServerLifecycleTest {

    @Test
    void closeClosesEveryNodeAndOpenFileExactlyOnce() throws Exception {
        CountingFileSystem counting = new CountingFileSystem(
                SynthFileSystem.builder().contents(r -> r.file("f", "x").file("slow", "")).build());
        GatedFileSystem gated = new GatedFileSystem(counting);
        GatedFileSystem.Gate gate = gated.gate("slow", true);
        NinefsServer server = NinefsServer.builder().export("", gated).build();
        TestServer s = TestServer.tcp(server);
        RawClient a = s.client();
        RawClient b = s.client();
        a.attach(0, "");
        a.walk(0, 1, "f");
        a.lopen(1, Dotl.O_RDWR);
        a.walk(0, 2, "slow");
        a.send(new Tgetattr(2, 1));
        assertTrue(gate.awaitEntered());
        b.attach(0, "");
        b.walk(0, 1);
        b.ok(new Tlcreate(1, "new", Dotl.O_RDWR, 0644, 0), Rlcreate.class);
        assertTrue(counting.nodesOpen.get() > 0);
        assertEquals(2, counting.filesOpen.get());
        s.close();
        assertTrue(a.awaitHangUp());
        assertTrue(b.awaitHangUp());
        assertEquals(0, counting.nodesOpen.get());
        assertEquals(0, counting.filesOpen.get());
        assertEquals(0, counting.doubleCloses.get());
        assertTrue(counting.closed.get(), "the export's file system is closed");
        assertEquals(0, server.connections());
        server.close(); // idempotent
        assertEquals(0, counting.doubleCloses.get());
        assertThrows(IllegalStateException.class, () -> server.listen(new Endpoint.Tcp("127.0.0.1", 0)));
        a.close();
        b.close();
    }

    @Test
    void aDisconnectingClientsFidsAreClunkedWhileTheServerRuns() throws Exception {
        CountingFileSystem counting = new CountingFileSystem(
                SynthFileSystem.builder().contents(r -> r.file("f", "x")).build());
        try (NinefsServer server = NinefsServer.builder().export("", counting).build();
                Listener listener = new Endpoint.Tcp("127.0.0.1", 0).listen()) {
            RawClient a = RawClient.connect(listener.endpoint());
            // serve(FrameChannel) hands back the connection, whose end can be awaited.
            Connection conn = server.serve(listener.accept());
            a.ok(new Tversion(8192, "9P2000.L"), Rversion.class);
            a.attach(0, "");
            a.walk(0, 1, "f");
            a.lopen(1, Dotl.O_RDONLY);
            a.walk(0, 2);
            assertEquals(3, counting.nodesOpen.get());
            assertEquals(1, counting.filesOpen.get());
            a.close();
            conn.awaitClosed();
            assertTrue(conn.isClosed());
            assertEquals(0, counting.nodesOpen.get());
            assertEquals(0, counting.filesOpen.get());
            assertEquals(0, counting.doubleCloses.get());
            assertEquals(0, server.connections());
        }
    }
}
