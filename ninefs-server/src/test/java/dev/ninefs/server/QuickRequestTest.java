// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.StatFs;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message.*;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests of an export whose calls are quick ({@link FileSystem#quickCalls}) run on the connection's reader thread
 * when nothing else is in flight; everything the session promises still holds.
 */
@Timeout(60)
class QuickRequestTest {

    /** Records the threads getattr runs on; statfs and getattr of "block" wait on latches. */
    private static final class Probe extends ForwardingFileSystem {
        final boolean quick;
        final List<Thread> getattrThreads = new CopyOnWriteArrayList<>();
        final CountDownLatch statfsEntered = new CountDownLatch(1);
        final CountDownLatch statfsRelease = new CountDownLatch(1);
        final CountDownLatch blockEntered = new CountDownLatch(1);

        Probe(boolean quick) {
            super(SynthFileSystem.builder().contents(r -> r.file("f", "x").file("block", "y")).build());
            this.quick = quick;
        }

        @Override
        public boolean quickCalls() {
            return quick;
        }

        @Override
        protected Node wrap(Node root) {
            return new ProbeNode(root, "/");
        }

        private final class ProbeNode extends ForwardingNode {
            private final String name;

            ProbeNode(Node delegate, String name) {
                super(delegate);
                this.name = name;
            }

            @Override
            protected Node wrap(Node node) {
                return new ProbeNode(node, name);
            }

            @Override
            protected OpenFile wrap(OpenFile file) {
                return file;
            }

            @Override
            public Node walk(String child) throws ErrnoException {
                return new ProbeNode(delegate().walk(child), child);
            }

            @Override
            public Attr getattr() throws ErrnoException {
                getattrThreads.add(Thread.currentThread());
                if (name.equals("block")) {
                    // A backend that lied about being quick: only an interrupt (the session's abort) ends it.
                    blockEntered.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        throw new ErrnoException(Errno.EINTR, "interrupted", e);
                    }
                }
                return super.getattr();
            }

            @Override
            public StatFs statfs() throws ErrnoException {
                statfsEntered.countDown();
                try {
                    statfsRelease.await();
                } catch (InterruptedException e) {
                    throw new ErrnoException(Errno.EINTR, "interrupted", e);
                }
                return super.statfs();
            }
        }
    }

    private static RawClient walked(TestServer s) throws Exception {
        RawClient c = s.client();
        c.attach(0, "");
        c.walk(0, 1, "f");
        return c;
    }

    @Test
    void quickRequestsAloneRunOnTheReaderThread() throws Exception {
        Probe probe = new Probe(true);
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

    @Test
    void requestsOfAnExportThatMayBlockGetThreadsOfTheirOwn() throws Exception {
        Probe probe = new Probe(false);
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
        Probe probe = new Probe(true);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            int slow = c.send(new Tstatfs(1));
            assertTrue(probe.statfsEntered.await(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            // statfs is in flight: the getattr is answered while it still waits.
            assertInstanceOf(Rgetattr.class, c.getattr(1));
            assertFalse(c.answered(slow));
            probe.statfsRelease.countDown();
            assertInstanceOf(Rstatfs.class, c.reply(slow));
        }
    }

    @Test
    void aTflushBehindAQuickRequestIsAnsweredAfterItsReply() throws Exception {
        Probe probe = new Probe(true);
        try (NinefsServer server = NinefsServer.builder().export("", probe).build();
                TestServer s = TestServer.tcp(server); RawClient c = walked(s)) {
            for (int i = 0; i < 3; i++) {
                c.nextArrival(); // version, attach, walk
            }
            int tag = c.send(new Tgetattr(1, 0x7ff));
            int flush = c.send(new Tflush(tag));
            Frame first = c.nextArrival();
            assertEquals(tag, first.tag());
            assertInstanceOf(Rgetattr.class, first.message());
            Frame second = c.nextArrival();
            assertEquals(flush, second.tag());
            assertInstanceOf(Rflush.class, second.message());
        }
    }

    @Test
    void closingTheServerAbortsARequestRunningOnTheReader() throws Exception {
        Probe probe = new Probe(true);
        NinefsServer server = NinefsServer.builder().export("", probe).build();
        try (TestServer s = TestServer.tcp(server); RawClient c = s.client()) {
            c.attach(0, "");
            c.walk(0, 1, "block");
            int blocked = c.send(new Tgetattr(1, 0x7ff));
            assertTrue(probe.blockEntered.await(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            server.close();
            assertTrue(c.awaitHangUp());
            // Aborted: no reply, the connection just ends.
            assertThrows(IOException.class, () -> c.reply(blocked));
        }
    }
}
