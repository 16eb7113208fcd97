// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message.Rgetattr;
import dev.ninefs.protocol.Message.Rlcreate;
import dev.ninefs.protocol.Message.Runlinkat;
import dev.ninefs.protocol.Message.Tflush;
import dev.ninefs.protocol.Message.Tgetattr;
import dev.ninefs.protocol.Message.Tlcreate;
import dev.ninefs.protocol.Message.Tunlinkat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection whose client waits for each reply is read by a platform thread after a run of lone requests, and by
 * a virtual thread again once requests overlap ({@link SessionReader}); the session behaves the same on either.
 */
@Timeout(60)
class ReaderMoveTest {
    private static final int RUN = SessionReader.TO_PLATFORM + 4;

    private static GatedFileSystem quickExport() {
        return new GatedFileSystem(
                SynthFileSystem.builder().contents(r -> r.file("f", "x").file("block", "y")).build(), true);
    }

    private static RawClient walked(TestServer s, String name) throws Exception {
        RawClient c = s.client();
        c.attach(0, "");
        c.walk(0, 1, name);
        return c;
    }

    private static void loneGetattrs(RawClient c, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            c.getattr(1);
        }
    }

    @Test
    void aClientWaitingForEachReplyIsReadByAPlatformThreadAndGivesItsSlotBackAtTheEnd() throws Exception {
        GatedFileSystem fs = quickExport();
        int free = SessionReader.freeSlots();
        try (NinefsServer server = NinefsServer.builder().export("", fs).build(); TestServer s = TestServer.tcp(server)) {
            try (RawClient c = walked(s, "f")) {
                loneGetattrs(c, 2);
                assertTrue(fs.lastGetattrThread().isVirtual(), "a new connection starts on a virtual reader");
                loneGetattrs(c, RUN);
                Thread reader = fs.lastGetattrThread();
                assertFalse(reader.isVirtual(), "after a run of lone requests: " + reader);
                assertTrue(reader.getName().startsWith("ninefs-conn-"), reader.getName());
                assertEquals(free - 1, SessionReader.freeSlots());
            }
            server.close();
            assertEquals(free, SessionReader.freeSlots());
        }
    }

    @Test
    void creatingAndRemovingFilesOneAtATimeAlsoMovesTheReadingToAPlatformThread() throws Exception {
        GatedFileSystem fs = quickExport();
        int free = SessionReader.freeSlots();
        try (NinefsServer server = NinefsServer.builder().export("", fs).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s, "f")) {
            // What `touch x; rm x` does, one request at a time: every one of them runs on the reader.
            for (int i = 0; i < SessionReader.TO_PLATFORM; i++) {
                c.walk(0, 2);
                c.ok(new Tlcreate(2, "x" + i, Dotl.O_RDWR, 0644, 0), Rlcreate.class);
                c.clunk(2);
                c.ok(new Tunlinkat(0, "x" + i, 0), Runlinkat.class);
            }
            assertEquals(free - 1, SessionReader.freeSlots());
            c.getattr(1);
            assertFalse(fs.lastGetattrThread().isVirtual());
        }
    }

    @Test
    void pipelinedRequestsMoveTheReadingBackToAVirtualThread() throws Exception {
        GatedFileSystem fs = quickExport();
        int free = SessionReader.freeSlots();
        try (NinefsServer server = NinefsServer.builder().export("", fs).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s, "f")) {
            loneGetattrs(c, RUN);
            assertFalse(fs.lastGetattrThread().isVirtual());
            List<Integer> tags = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                tags.add(c.send(new Tgetattr(1, Dotl.GETATTR_ALL)));
            }
            for (int tag : tags) {
                assertInstanceOf(Rgetattr.class, c.reply(tag));
            }
            // The lone request after the burst runs on the reader, which is virtual again.
            c.getattr(1);
            assertTrue(fs.lastGetattrThread().isVirtual(), fs.lastGetattrThread().toString());
            assertEquals(free, SessionReader.freeSlots());
            // And it moves to a platform thread again when the client goes back to one request at a time.
            loneGetattrs(c, RUN);
            assertFalse(fs.lastGetattrThread().isVirtual());
        }
    }

    @Test
    void platformReadersAreLimitedAndTheOtherConnectionsWorkOnVirtualOnes() throws Exception {
        GatedFileSystem fs = quickExport();
        int connections = SessionReader.freeSlots() + 3;
        List<RawClient> clients = new ArrayList<>();
        try (NinefsServer server = NinefsServer.builder().export("", fs).build(); TestServer s = TestServer.tcp(server)) {
            Set<Thread> platform = new HashSet<>();
            int virtual = 0;
            for (int i = 0; i < connections; i++) {
                RawClient c = walked(s, "f");
                clients.add(c);
                loneGetattrs(c, RUN);
                Thread reader = fs.lastGetattrThread();
                if (reader.isVirtual()) {
                    virtual++;
                } else {
                    platform.add(reader);
                }
            }
            assertEquals(SessionReader.LIMIT, platform.size() + SessionReader.freeSlots());
            assertEquals(3, virtual);
            for (RawClient c : clients) {
                assertInstanceOf(Rgetattr.class, c.getattr(1));
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void aTflushReadByAPlatformReaderIsAnsweredAfterTheRequestItRan() throws Exception {
        GatedFileSystem fs = quickExport();
        GatedFileSystem.Gate gate = fs.gate("block", false);
        try (NinefsServer server = NinefsServer.builder().export("", fs).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s, "f")) {
            loneGetattrs(c, RUN);
            assertFalse(fs.lastGetattrThread().isVirtual());
            c.walk(0, 2, "block");
            c.skipArrivals(RUN + 4); // version, attach, walks, getattrs
            int tag = c.send(new Tgetattr(2, Dotl.GETATTR_ALL));
            assertTrue(gate.awaitEntered());
            assertFalse(fs.lastGetattrThread().isVirtual(), "runs on the platform reader");
            int flush = c.send(new Tflush(tag));
            gate.open();
            c.expectAnsweredThenFlushed(tag, Rgetattr.class, flush);
        }
    }

    @Test
    void closingTheServerAbortsARequestRunningOnAPlatformReader() throws Exception {
        GatedFileSystem fs = quickExport();
        GatedFileSystem.Gate gate = fs.gate("block", true);
        int free = SessionReader.freeSlots();
        NinefsServer server = NinefsServer.builder().export("", fs).build();
        try (TestServer s = TestServer.tcp(server); RawClient c = walked(s, "f")) {
            loneGetattrs(c, RUN);
            c.walk(0, 2, "block");
            int blocked = c.send(new Tgetattr(2, Dotl.GETATTR_ALL));
            assertTrue(gate.awaitEntered());
            assertFalse(fs.lastGetattrThread().isVirtual());
            server.close();
            assertTrue(gate.awaitInterrupted());
            assertTrue(c.awaitHangUp());
            assertThrows(IOException.class, () -> c.reply(blocked));
            assertEquals(free, SessionReader.freeSlots());
        }
    }
}
