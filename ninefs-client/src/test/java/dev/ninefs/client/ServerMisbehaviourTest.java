// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.protocol.Qid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the client does when the server misbehaves: a protocol violation closes the connection and fails every
 * pending call with a clear error; a server that does not speak 9P2000.L, or grants a bad msize, is refused.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerMisbehaviourTest {

    private interface Violation {
        void commit(ScriptedPeer peer, List<Frame> pending) throws IOException;
    }

    /** Three getattrs in flight, then the violation: all three fail, later calls too, the socket is closed. */
    private static void assertViolationFailsEverything(Violation violation, String expectedInMessage)
            throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults());
            List<CompletableFuture<FileAttr>> calls = new ArrayList<>();
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(s.root().getattrAsync(Dotl.GETATTR_ALL));
                frames.add(peer.read());
            }
            violation.commit(peer, frames);
            for (CompletableFuture<FileAttr> call : calls) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, e.getCause());
                assertTrue(closed.getMessage().contains(expectedInMessage), closed.getMessage());
            }
            assertFalse(s.connection().isOpen());
            ConnectionClosedException later = assertThrows(ConnectionClosedException.class, () -> s.root().getattr());
            assertTrue(later.getMessage().contains(expectedInMessage), later.getMessage());
            assertTrue(peer.clientClosed(), "the client closed the socket");
        }
    }

    @Test
    void aReplyForAnUnknownTagFailsAllPendingCalls() throws Exception {
        assertViolationFailsEverything((peer, pending) -> peer.reply(999, new Message.Rclunk()),
                "for tag 999, which no request uses");
    }

    @Test
    void aReplyOfTheWrongTypeFailsAllPendingCalls() throws Exception {
        assertViolationFailsEverything((peer, pending) -> peer.reply(pending.get(1).tag(), new Message.Rclunk()),
                "Rclunk answers Tgetattr");
    }

    @Test
    void aMalformedFrameFailsAllPendingCalls() throws Exception {
        // size 9, type Rgetattr, tag of a pending call, and a body far too short for Rgetattr.
        int tag = 0;
        byte[] frame = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(9).put((byte) Message.RGETATTR).putShort((short) tag).put((byte) 1).put((byte) 2).array();
        assertViolationFailsEverything((peer, pending) -> peer.sendRaw(frame), "broke the protocol");
    }

    @Test
    void aFrameSizeBelowTheHeaderFailsAllPendingCalls() throws Exception {
        byte[] frame = {3, 0, 0, 0};
        assertViolationFailsEverything((peer, pending) -> peer.sendRaw(frame), "broke the protocol");
    }

    @Test
    void aRequestFromTheServerFailsAllPendingCalls() throws Exception {
        assertViolationFailsEverything((peer, pending) -> peer.reply(pending.get(0).tag(), new Message.Tclunk(1)),
                "server sent a request");
    }

    @Test
    void theServerClosingTheConnectionFailsAllPendingCalls() throws Exception {
        assertViolationFailsEverything((peer, pending) -> peer.close(), "closed the connection");
    }

    @Test
    void rlerrorBecomesErrnoExceptionWithTheExactNumberEvenAnUnknownOne() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults());
            CompletableFuture<FileAttr> a = s.root().getattrAsync(Dotl.GETATTR_ALL);
            Frame fa = peer.read();
            peer.reply(fa.tag(), new Message.Rlerror(Errno.ESTALE.code()));
            ErrnoException stale = assertInstanceOf(ErrnoException.class,
                    assertThrows(ExecutionException.class, a::get).getCause());
            assertEquals(Errno.ESTALE, stale.errno());
            Thread t = Thread.ofVirtual().start(() -> {
                ErrnoException odd = assertThrows(ErrnoException.class, () -> s.root().getattr());
                assertEquals(200, odd.code());
                assertTrue(odd.getMessage().startsWith("/: Tgetattr: errno 200"), odd.getMessage());
            });
            Frame fb = peer.read();
            peer.reply(fb.tag(), new Message.Rlerror(200));
            t.join();
            assertTrue(s.connection().isOpen());
        }
    }

    @Test
    void closingTheConnectionFailsPendingCalls() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults());
            CompletableFuture<FileAttr> pending = s.root().getattrAsync(Dotl.GETATTR_ALL);
            peer.read();
            s.connection().close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("closed by the client"), e.getCause().getMessage());
            assertTrue(peer.clientClosed());
        }
    }

    @Test
    void sixtyFourRequestsAreOnTheWireAtOnceAndRepliesOutOfOrderReachTheirCallers() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults().withMaxInFlight(64));
            List<CompletableFuture<ByteBuffer>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(s.root().readAsync(i * 1000L, 8));
            }
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                frames.add(peer.read()); // all 64 arrive before the server has answered any
            }
            assertEquals(64, s.connection().inFlight());
            assertEquals(64, frames.stream().map(Frame::tag).distinct().count(), "64 distinct tags");
            for (int i = 63; i >= 0; i--) {
                Frame f = frames.get(i);
                long offset = ((Message.Tread) f.message()).offset();
                peer.reply(f.tag(), new Message.Rread(ByteBuffer.allocate(8).putLong(0, offset)));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(i * 1000L, reads.get(i).get(10, TimeUnit.SECONDS).getLong(0));
            }
            assertEquals(0, s.connection().inFlight());
        }
    }

    @Test
    void connectsOverAUnixDomainSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(dir.resolve("9p.sock"))) {
            assertTrue(peer.uri().startsWith("unix:/"));
            ScriptedPeer.Session s = peer.connectAndAttach(ClientOptions.defaults());
            CompletableFuture<FileAttr> a = s.root().getattrAsync(Dotl.GETATTR_ALL);
            Frame f = peer.read();
            peer.reply(f.tag(), ScriptedPeer.attrOfSize(12));
            assertEquals(12, a.get(10, TimeUnit.SECONDS).size());
            assertEquals("unix", s.connection().peer());
            s.connection().close();
        }
    }

    // ---- version negotiation --------------------------------------------------------------------------------

    /** Runs Connection.open against a peer that answers Tversion with {@code reply}. */
    private static Throwable openAgainst(Message reply, ClientOptions options) throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            CompletableFuture<Connection> opening = CompletableFuture.supplyAsync(() -> {
                try {
                    return Connection.open(peer.uri(), options);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            peer.accept();
            Frame version = peer.read();
            assertEquals(Message.NOTAG, version.tag());
            assertEquals(new Message.Tversion(options.msize(), "9P2000.L"), version.message());
            if (reply != null) {
                peer.reply(Message.NOTAG, reply);
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> opening.get(10, TimeUnit.SECONDS));
            assertTrue(peer.clientClosed(), "a refused server is disconnected");
            return e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
        }
    }

    @Test
    void aServerAnsweringUnknownIsRefusedClearly() throws Exception {
        ErrnoException e = assertInstanceOf(ErrnoException.class,
                openAgainst(new Message.Rversion(8192, "unknown"), ClientOptions.defaults()));
        assertEquals(Errno.EPROTONOSUPPORT, e.errno());
        assertTrue(e.getMessage().contains("does not speak 9P2000.L (it answered version \"unknown\")"),
                e.getMessage());
    }

    @Test
    void aServerGrantingMoreMsizeThanAskedIsRefused() throws Exception {
        ProtocolException e = assertInstanceOf(ProtocolException.class,
                openAgainst(new Message.Rversion(1 << 21, "9P2000.L"), ClientOptions.defaults()));
        assertTrue(e.getMessage().contains("more than the 1048576 asked for"), e.getMessage());
    }

    @Test
    void aServerGrantingATinyMsizeIsRefused() throws Exception {
        ErrnoException e = assertInstanceOf(ErrnoException.class,
                openAgainst(new Message.Rversion(512, "9P2000.L"), ClientOptions.defaults()));
        assertEquals(Errno.EMSGSIZE, e.errno());
    }

    @Test
    void aServerThatNeverAnswersTversionTimesOut() throws Exception {
        ErrnoException e = assertInstanceOf(ErrnoException.class,
                openAgainst(null, ClientOptions.defaults().withTimeout(Duration.ofMillis(200))));
        assertEquals(Errno.ETIMEDOUT, e.errno());
    }

    @Test
    void theGrantedMsizeIsUsedAndSplitsReads() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            CompletableFuture<Connection> opening = CompletableFuture.supplyAsync(() -> {
                try {
                    return Connection.open(peer.uri(), ClientOptions.defaults());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            peer.accept();
            peer.read();
            peer.reply(Message.NOTAG, new Message.Rversion(8192, "9P2000.L"));
            Connection c = opening.get(10, TimeUnit.SECONDS);
            assertEquals(8192, c.msize());
            assertEquals(8192 - 24, c.maxReadSize());
            assertEquals(8192 - 24, c.maxWriteSize());
            Thread attach = Thread.ofVirtual().start(() -> {
                try {
                    Frame f = peer.read();
                    peer.reply(f.tag(), new Message.Rattach(new Qid(0, 0, 1)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RemoteFile file = c.attach("u", "", 0);
            attach.join();
            CompletableFuture<ByteBuffer> read = file.readAsync(0, 1 << 20);
            Frame f = peer.read();
            assertEquals(new Message.Tread(file.fid(), 0, 8192 - 24), f.message(), "clamped to msize - 24");
            peer.reply(f.tag(), new Message.Rread(ByteBuffer.allocate(0)));
            assertEquals(0, read.get().remaining());
            c.close();
        }
    }
}
