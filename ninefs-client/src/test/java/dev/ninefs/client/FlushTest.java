// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tflush as the spec wants it from a client: a request that times out, is interrupted or is cancelled is flushed;
 * its tag is not reused until the Rflush arrives; a reply that arrives before the Rflush is dropped; fids the
 * flushed request may have created or ended are put right. The server is a {@link ScriptedPeer}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlushTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private ScriptedPeer peer;
    private Connection conn;
    private RemoteFile root;

    @BeforeEach
    void connect() throws Exception {
        peer = new ScriptedPeer();
        ScriptedPeer.Session s = peer.connectAndAttach(
                ClientOptions.defaults().withTimeout(TIMEOUT).withMaxInFlight(4));
        conn = s.connection();
        root = s.root();
    }

    @AfterEach
    void close() throws Exception {
        conn.close();
        peer.close();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void timeoutSendsTflushAndTheTagIsNotReusedUntilRflush() throws Exception {
        CompletableFuture<FileAttr> slow = root.getattrAsync(Dotl.GETATTR_ALL);
        Frame request = peer.read();
        int oldtag = request.tag();
        assertInstanceOf(Message.Tgetattr.class, request.message());

        ErrnoException timedOut = assertInstanceOf(ErrnoException.class, failure(slow));
        assertEquals(Errno.ETIMEDOUT, timedOut.errno());
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(oldtag), flush.message());
        assertNotEquals(oldtag, flush.tag());

        // While the flush is pending, new requests get other tags (3 fit: the flushed one still holds its slot).
        List<CompletableFuture<FileAttr>> others = new ArrayList<>();
        List<Integer> otherTags = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(root.getattrAsync(Dotl.GETATTR_ALL));
            Frame f = peer.read();
            otherTags.add(f.tag());
        }
        assertFalse(otherTags.contains(oldtag), "tag " + oldtag + " reused before its Rflush: " + otherTags);
        assertFalse(otherTags.contains(flush.tag()));

        // The flushed request's reply arrives late: dropped, not given to anyone else.
        peer.reply(oldtag, ScriptedPeer.attrOfSize(666));
        for (int i = 0; i < 2; i++) {
            peer.reply(otherTags.get(i), ScriptedPeer.attrOfSize(i));
            assertEquals(i, others.get(i).get(10, TimeUnit.SECONDS).size());
        }
        assertEquals(2, conn.inFlight(), "the flushed request keeps its slot until Rflush");
        peer.reply(flush.tag(), new Message.Rflush());
        peer.reply(otherTags.get(2), ScriptedPeer.attrOfSize(2));
        assertEquals(2, others.get(2).get(10, TimeUnit.SECONDS).size());
        assertEquals(0, conn.inFlight(), "Rflush gave back the flushed request's slot");
        assertTrue(conn.isOpen());
    }

    @Test
    void withOneTagTheNextRequestWaitsForTheRflushThenReusesTheTag() throws Exception {
        conn.close();
        peer.close();
        peer = new ScriptedPeer();
        // Long enough that the second caller's wait for the slot does not time out on a loaded machine.
        ScriptedPeer.Session s = peer.connectAndAttach(
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(2)).withMaxInFlight(1));
        conn = s.connection();
        root = s.root();

        CompletableFuture<FileAttr> slow = root.getattrAsync(Dotl.GETATTR_ALL);
        Frame request = peer.read();
        assertEquals(Errno.ETIMEDOUT, assertInstanceOf(ErrnoException.class, failure(slow)).errno());
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(request.tag()), flush.message());
        // A second caller cannot even send: the only slot is the flushed request's until its Rflush.
        CompletableFuture<FileAttr> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return root.getattr();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        peer.reply(request.tag(), ScriptedPeer.attrOfSize(666)); // late: dropped
        peer.reply(flush.tag(), new Message.Rflush());
        Frame next = peer.read();
        assertInstanceOf(Message.Tgetattr.class, next.message());
        assertEquals(request.tag(), next.tag(), "the tag comes back after its Rflush");
        peer.reply(next.tag(), ScriptedPeer.attrOfSize(7));
        assertEquals(7, waiting.get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void interruptSendsTflushAndFailsWithEintr() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                root.getattr();
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Frame request = peer.read();
        caller.interrupt();
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(request.tag()), flush.message());
        caller.join();
        ErrnoException e = assertInstanceOf(ErrnoException.class, thrown.get());
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(stillInterrupted.get(), "the interrupt flag is kept");
        peer.reply(flush.tag(), new Message.Rflush());
        assertTrue(conn.isOpen(), "an interrupted caller does not break the connection");
        CompletableFuture<FileAttr> after = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame f = peer.read();
        peer.reply(f.tag(), ScriptedPeer.attrOfSize(5));
        assertEquals(5, after.get().size());
    }

    @Test
    void cancellingTheFutureSendsTflush() throws Exception {
        CompletableFuture<ByteBuffer> read = root.readAsync(0, 100);
        Frame r = peer.read();
        assertInstanceOf(Message.Tread.class, r.message());
        assertTrue(read.cancel(true));
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(r.tag()), flush.message());
        peer.reply(flush.tag(), new Message.Rflush());
    }

    @Test
    void aWalkThatCompletesDespiteItsFlushHasItsNewFidClunked() throws Exception {
        CompletableFuture<RemoteFile> walk = root.walkAsync(List.of("a"));
        int[] tag = new int[1];
        Message.Twalk twalk = peer.read(Message.Twalk.class, tag);
        assertEquals(Errno.ETIMEDOUT, assertInstanceOf(ErrnoException.class, failure(walk)).errno());
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(tag[0]), flush.message());
        // The server had finished the walk: newfid exists on the server, and nobody holds it.
        peer.reply(tag[0], new Message.Rwalk(List.of(new Qid(0, 0, 9))));
        int[] clunkTag = new int[1];
        assertEquals(new Message.Tclunk(twalk.newfid()), peer.read(Message.Tclunk.class, clunkTag));
        peer.reply(flush.tag(), new Message.Rflush());
        peer.reply(clunkTag[0], new Message.Rclunk());
        assertFidReusable(twalk.newfid());
    }

    @Test
    void aWalkFlushedBeforeItRanFreesItsNewFidWithoutAClunk() throws Exception {
        CompletableFuture<RemoteFile> walk = root.walkAsync(List.of("a"));
        int[] tag = new int[1];
        Message.Twalk twalk = peer.read(Message.Twalk.class, tag);
        failure(walk);
        Frame flush = peer.read();
        peer.reply(flush.tag(), new Message.Rflush());
        assertFidReusable(twalk.newfid()); // the next frame is a new walk, not a Tclunk
    }

    @Test
    void aClunkFlushedBeforeItRanIsSentAgain() throws Exception {
        RemoteFile file = walkAnswered("f", 1);
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                file.close();
            } catch (java.io.IOException expected) {
                // ETIMEDOUT
            }
        });
        int[] tag = new int[1];
        assertEquals(new Message.Tclunk(file.fid()), peer.read(Message.Tclunk.class, tag));
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(tag[0]), flush.message());
        closer.join();
        peer.reply(flush.tag(), new Message.Rflush());
        int[] again = new int[1];
        assertEquals(new Message.Tclunk(file.fid()), peer.read(Message.Tclunk.class, again));
        peer.reply(again[0], new Message.Rclunk());
        assertFidReusable(file.fid());
    }

    /** Walks one name with the script answering at once; the new handle gets fid {@code expectedFid}. */
    private RemoteFile walkAnswered(String name, int expectedFid) throws Exception {
        CompletableFuture<RemoteFile> walk = root.walkAsync(List.of(name));
        int[] tag = new int[1];
        Message.Twalk t = peer.read(Message.Twalk.class, tag);
        assertEquals(expectedFid, t.newfid());
        peer.reply(tag[0], new Message.Rwalk(List.of(new Qid(0, 0, 11))));
        return walk.get(10, TimeUnit.SECONDS);
    }

    /** The next walk gets {@code fid} as its newfid: the number came back to the pool. */
    private void assertFidReusable(int fid) throws Exception {
        roundTrip();
        RemoteFile f = walkAnswered("b", fid);
        assertEquals(fid, f.fid());
        Thread ack = Thread.ofVirtual().start(() -> {
            try {
                int[] tag = new int[1];
                peer.read(Message.Tclunk.class, tag);
                peer.reply(tag[0], new Message.Rclunk());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        f.close();
        ack.join();
    }

    /**
     * One answered request: the client's reader handles frames in order, so everything the script sent before
     * has been handled once this returns.
     */
    private void roundTrip() throws Exception {
        CompletableFuture<FileAttr> ping = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame f = peer.read();
        peer.reply(f.tag(), ScriptedPeer.attrOfSize(1));
        ping.get(10, TimeUnit.SECONDS);
    }
}
