// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message.*;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests of an export whose calls are quick ({@link FileSystem#quickCalls}) run on the connection's reader thread
 * when nothing else is in flight; everything the session promises still holds.
 */
@Timeout(60)
class QuickRequestTest {

    /** An export of files "f" and "block" over a gated synthetic tree. */
    private static GatedFileSystem export(boolean quick) {
        return new GatedFileSystem(
                SynthFileSystem.builder().contents(r -> r.file("f", "x").file("block", "y")).build(), quick);
    }

    private static RawClient walked(TestServer s) throws Exception {
        RawClient c = s.client();
        c.attach(0, "");
        c.walk(0, 1, "f");
        return c;
    }

    @Test
    void quickRequestsAloneRunOnTheReaderThread() throws Exception {
        GatedFileSystem probe = export(true);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            c.getattr(1);
            c.getattr(1);
            c.getattr(1);
            assertEquals(3, probe.getattrThreads.size());
            assertSame(probe.getattrThreads.get(0), probe.getattrThreads.get(1));
            assertSame(probe.getattrThreads.get(1), probe.getattrThreads.get(2));
            assertTrue(probe.getattrThreads.get(0).getName().startsWith("ninefs-conn-"));
        }
    }

    /**
     * A lone large Twrite is handed out before its data is all in: the rest of its own frame is not other input
     * waiting, so it runs on the reader thread too, which reads the rest itself.
     */
    @Test
    void aLoneTwriteWhoseDataIsStillArrivingRunsOnTheReaderThread() throws Exception {
        GatedFileSystem probe = export(true);
        int msize = 1 << 20;
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = s.client(msize)) {
            c.attach(0, "");
            c.walk(0, 1, "f");
            c.lopen(1, Dotl.O_RDWR);
            byte[] data = new byte[msize - IoRequests.IO_HEADER];
            for (int i = 0; i < 2; i++) {
                int tag = c.freshTag();
                ByteBuffer frame = RawClient.encode(tag, new Twrite(1, 0, ByteBuffer.wrap(data)));
                int cut = 256 << 10;
                c.sendRaw(tag, frame.duplicate().limit(cut));
                Thread.sleep(50); // the frame is handed out with most of its data still to come
                c.sendRaw(frame.position(cut));
                assertEquals(data.length, ((Rwrite) c.reply(tag)).count());
            }
            c.getattr(1);
            assertFalse(probe.writeThreads.isEmpty());
            assertEquals(Set.of(probe.lastGetattrThread()), Set.copyOf(probe.writeThreads));
        }
    }

    @Test
    void requestsOfAnExportThatMayBlockGetThreadsOfTheirOwn() throws Exception {
        GatedFileSystem probe = export(false);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            c.getattr(1);
            c.getattr(1);
            assertEquals(2, probe.getattrThreads.size());
            assertNotSame(probe.getattrThreads.get(0), probe.getattrThreads.get(1));
        }
    }

    @Test
    void aQuickRequestBehindOneInFlightDoesNotWaitForIt() throws Exception {
        GatedFileSystem probe = export(true);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            c.lopen(1, Dotl.O_RDWR);
            GatedFileSystem.Gate fsync = probe.gateFsync(true);
            // fsync never runs on the reader (it may wait for the disk for long): the reader reads on.
            int slow = c.send(new Tfsync(1, 0));
            assertTrue(fsync.awaitEntered());
            // fsync is in flight: the getattr is answered while it still waits.
            assertInstanceOf(Rgetattr.class, c.getattr(1));
            assertFalse(c.answered(slow));
            fsync.open();
            assertInstanceOf(Rfsync.class, c.reply(slow));
        }
    }

    @Test
    void aTflushBehindAQuickRequestIsAnsweredAfterItsReply() throws Exception {
        GatedFileSystem probe = export(true);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            c.skipArrivals(3); // version, attach, walk
            int tag = c.send(new Tgetattr(1, 0x7ff));
            int flush = c.send(new Tflush(tag));
            c.expectAnsweredThenFlushed(tag, Rgetattr.class, flush);
        }
    }

    @Test
    void closingTheServerAbortsARequestRunningOnTheReader() throws Exception {
        GatedFileSystem probe = export(true);
        // A backend that lied about being quick: only an interrupt (the session's abort) ends this getattr.
        GatedFileSystem.Gate block = probe.gate("block", true);
        NinefsServer server = NinefsServer.builder().export("", probe).build();
        try (TestServer s = TestServer.tcp(server); RawClient c = s.client()) {
            c.attach(0, "");
            c.walk(0, 1, "block");
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(block.awaitEntered());
            server.close();
            assertTrue(block.awaitInterrupted());
            assertTrue(c.awaitHangUp());
            // Aborted: no reply, the connection just ends.
            assertThrows(IOException.class, () -> c.reply(blocked));
        }
    }
}
