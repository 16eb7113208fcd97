// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over a socket, callers write their own requests and a caller waiting for its reply may read the socket itself
 * (see SocketWire and SocketReader). These guard what that must never break: an interrupted or timed-out caller
 * does not close the connection nor strand the replies of others, and data a caller lends to a write is never
 * sent changed, however full the socket is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerIoTest {
    private ScriptedPeer peer;
    private Connection conn;
    private RemoteFile root;

    private void connect(ClientOptions options) throws Exception {
        peer = new ScriptedPeer();
        ScriptedPeer.Session s = peer.connectAndAttach(options);
        conn = s.connection();
        root = s.root();
    }

    /**
     * A few lone round trips, after which a lone caller reads its own reply (the connection saw that nobody else
     * is sending; see Multiplexer#lead).
     */
    private void settleIntoLoneCalls() throws Exception {
        for (int i = 0; i < 4; i++) {
            CompletableFuture<FileAttr> attr = CompletableFuture.supplyAsync(() -> {
                try {
                    return root.getattr();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            Frame f = peer.read();
            peer.reply(f.tag(), ScriptedPeer.attrOfSize(i));
            assertEquals(i, attr.get(10, TimeUnit.SECONDS).size());
        }
    }

    /** A platform thread calling getattr on the root; what it throws goes to {@code thrown}. */
    private Thread getattrOnAThreadOfItsOwn(AtomicReference<Throwable> thrown) {
        return Thread.ofPlatform().start(() -> {
            try {
                root.getattr();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        if (conn != null) {
            conn.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void aCallerInterruptedWhileReadingLeavesTheOtherRepliesToTheConnection() throws Exception {
        connect(ClientOptions.defaults());
        settleIntoLoneCalls();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = getattrOnAThreadOfItsOwn(thrown);
        Frame request = peer.read(); // the caller was alone: it now waits in the socket for its reply
        CompletableFuture<FileAttr> other = root.getattrAsync(Dotl.GETATTR_ALL);
        Frame otherRequest = peer.read();
        caller.interrupt();
        Frame flush = peer.read();
        assertEquals(new Message.Tflush(request.tag()), flush.message());
        caller.join();
        assertEquals(Errno.EINTR, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        peer.reply(otherRequest.tag(), ScriptedPeer.attrOfSize(42));
        assertEquals(42, other.get(10, TimeUnit.SECONDS).size(), "a reply nobody waits on in person still arrives");
        peer.reply(flush.tag(), new Message.Rflush());
        assertTrue(conn.isOpen());
    }

    @Test
    void aCallerReadingForItsOwnReplyTimesOutFlushesAndKeepsTheConnection() throws Exception {
        connect(ClientOptions.defaults().withTimeout(Duration.ofMillis(300)));
        settleIntoLoneCalls();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = getattrOnAThreadOfItsOwn(thrown);
        Frame request = peer.read();
        Frame flush = peer.read(); // sent once the caller's deadline passed, while it was waiting in the socket
        assertEquals(new Message.Tflush(request.tag()), flush.message());
        caller.join();
        assertEquals(Errno.ETIMEDOUT, assertInstanceOf(ErrnoException.class, thrown.get()).errno());
        peer.reply(flush.tag(), new Message.Rflush());
        CompletableFuture<FileAttr> after = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame f = peer.read();
        peer.reply(f.tag(), ScriptedPeer.attrOfSize(5));
        assertEquals(5, after.get(10, TimeUnit.SECONDS).size());
        assertTrue(conn.isOpen());
    }

    @Test
    void interruptsAtAnyMomentNeverCloseTheConnection() throws Exception {
        connect(ClientOptions.defaults());
        Thread responder = Thread.ofPlatform().daemon().start(this::answerEverything);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicReference<Throwable> broken = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            Thread.Builder builder = i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            callers.add(builder.start(() -> {
                try {
                    while (!stop.get()) {
                        try {
                            root.getattr(Dotl.GETATTR_BASIC);
                            answered.incrementAndGet();
                        } catch (ErrnoException e) {
                            assertEquals(Errno.EINTR, e.errno());
                            interrupted.incrementAndGet();
                        }
                        Thread.interrupted();
                    }
                } catch (Throwable t) {
                    broken.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000 && broken.get() == null; i++) {
            callers.get(random.nextInt(callers.size())).interrupt();
            LockSupport.parkNanos(random.nextLong(200_000)); // interrupts land at every stage of a call
        }
        stop.set(true);
        assertTrue(done.await(30, TimeUnit.SECONDS), "callers finished");
        assertNull(broken.get(), () -> "a caller saw the connection break: " + broken.get());
        assertTrue(conn.isOpen(), "interrupted callers never close the connection");
        assertTrue(answered.get() > 0 && interrupted.get() > 0,
                answered + " answered, " + interrupted + " interrupted");
        assertEquals(1234, root.getattr().size());
        conn.close();
        responder.join(TimeUnit.SECONDS.toMillis(20));
    }

    /** Answers every Tgetattr and Tflush until the connection closes. */
    private void answerEverything() {
        try {
            while (true) {
                Frame f = peer.read();
                switch (f.message()) {
                    case Message.Tflush ignored -> peer.reply(f.tag(), new Message.Rflush());
                    case Message.Tgetattr ignored -> peer.reply(f.tag(), ScriptedPeer.attrOfSize(1234));
                    default -> peer.reply(f.tag(), new Message.Rlerror(Errno.ENOSYS.code()));
                }
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }

    @Test
    void writesThatDoNotFitTheSocketSendTheDataAsItWasWhenSent() throws Exception {
        connect(ClientOptions.defaults().withTimeout(Duration.ZERO));
        int count = conn.maxWriteSize();
        int writes = 12; // 12 MiB: more than the socket buffers on both sides hold, so some must wait
        List<ByteBuffer> buffers = new ArrayList<>();
        List<CompletableFuture<Integer>> replies = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            ByteBuffer data = ByteBuffer.allocate(count);
            for (int k = 0; k < count; k++) {
                data.put(k, (byte) (i + 1));
            }
            buffers.add(data);
            replies.add(root.writeAsync((long) i * count, data));
        }
        for (ByteBuffer b : buffers) { // the caller reuses its buffers at once, as the API allows
            for (int k = 0; k < count; k++) {
                b.put(k, (byte) 0xee);
            }
        }
        for (int i = 0; i < writes; i++) {
            Frame f = peer.read();
            Message.Twrite w = assertInstanceOf(Message.Twrite.class, f.message());
            int index = (int) (w.offset() / count);
            ByteBuffer data = w.data();
            assertEquals(count, data.remaining());
            for (int k = 0; k < count; k++) {
                if (data.get(data.position() + k) != (byte) (index + 1)) {
                    throw new AssertionError("write " + index + " byte " + k + " changed after it was sent");
                }
            }
            peer.reply(f.tag(), new Message.Rwrite(count));
        }
        for (CompletableFuture<Integer> r : replies) {
            assertEquals(count, r.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anEmptyWriteGoesOutAndLeavesTheWireUsable() throws Exception {
        connect(ClientOptions.defaults());
        CompletableFuture<Integer> empty = root.writeAsync(0, ByteBuffer.allocate(0));
        Frame f = peer.read();
        assertEquals(0, assertInstanceOf(Message.Twrite.class, f.message()).data().remaining());
        peer.reply(f.tag(), new Message.Rwrite(0));
        assertEquals(0, empty.get(10, TimeUnit.SECONDS));
        CompletableFuture<FileAttr> after = root.getattrAsync(Dotl.GETATTR_BASIC);
        Frame g = peer.read();
        peer.reply(g.tag(), ScriptedPeer.attrOfSize(3));
        assertEquals(3, after.get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void largeReadsInPooledBuffersKeepEachReplysBytes() throws Exception {
        connect(ClientOptions.defaults());
        int max = conn.maxReadSize();
        int len = 3 * max + 1000;
        for (int round = 0; round < 3; round++) { // later rounds reuse the pooled buffers
            byte[] got = new byte[len];
            int seed = round;
            CompletableFuture<Integer> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    return root.readFully(0, got, 0, len);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            for (int i = 0; i < 4; i++) {
                Frame f = peer.read();
                Message.Tread r = assertInstanceOf(Message.Tread.class, f.message());
                ByteBuffer data = ByteBuffer.allocate(r.count());
                for (int k = 0; k < r.count(); k++) {
                    data.put(k, pattern(seed, r.offset() + k));
                }
                peer.reply(f.tag(), new Message.Rread(data));
            }
            assertEquals(len, reading.get(20, TimeUnit.SECONDS));
            for (int k = 0; k < len; k++) {
                if (got[k] != pattern(seed, k)) {
                    throw new AssertionError("round " + round + " byte " + k);
                }
            }
        }
        ByteBuffer small = ByteBuffer.allocate(max);
        Thread.ofVirtual().start(() -> {
            try {
                Frame f = peer.read();
                Message.Tread r = (Message.Tread) f.message();
                ByteBuffer data = ByteBuffer.allocate(r.count());
                for (int k = 0; k < r.count(); k++) {
                    data.put(k, pattern(9, k));
                }
                peer.reply(f.tag(), new Message.Rread(data));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(max, root.read(0, small));
        for (int k = 0; k < max; k++) {
            assertEquals(pattern(9, k), small.get(k));
        }
    }

    /**
     * A transfer's caller reads its window's replies itself; when the first reply fails, the caller gives up with
     * the rest of the window in flight, and the connection must still read their replies and free their tags.
     */
    @Test
    void aTransferThatFailsLeavesTheRestOfItsWindowToTheConnection() throws Exception {
        connect(ClientOptions.defaults().withMaxInFlight(2));
        int max = conn.maxWriteSize();
        ByteBuffer data = ByteBuffer.allocate(max + 100);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                root.writeFully(0, data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().start(task));
        Frame first = peer.read();
        Frame second = peer.read();
        assertEquals(max, assertInstanceOf(Message.Twrite.class, first.message()).data().remaining());
        assertEquals(100, assertInstanceOf(Message.Twrite.class, second.message()).data().remaining());
        peer.reply(first.tag(), new Message.Rlerror(Errno.ENOSPC.code()));
        java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> writing.get(10, TimeUnit.SECONDS));
        assertEquals(Errno.ENOSPC, ((ErrnoException) failed.getCause().getCause()).errno());
        peer.reply(second.tag(), new Message.Rwrite(100));
        // Both tags of the two in flight must come free: two more requests at once need them.
        CompletableFuture<FileAttr> a = root.getattrAsync(Dotl.GETATTR_BASIC);
        CompletableFuture<FileAttr> b = root.getattrAsync(Dotl.GETATTR_BASIC);
        for (int i = 0; i < 2; i++) {
            Frame f = peer.read();
            peer.reply(f.tag(), ScriptedPeer.attrOfSize(5));
        }
        assertEquals(5, a.get(10, TimeUnit.SECONDS).size());
        assertEquals(5, b.get(10, TimeUnit.SECONDS).size());
    }

    private static byte pattern(int seed, long position) {
        return (byte) (position * 31 + seed * 7 + (position >>> 8));
    }
}
