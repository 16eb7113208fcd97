// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import dev.ninefs.transport.Endpoint;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare 9P client for the server's tests: frames encoded with the codec, sent over a real socket, replies matched
 * by tag, and every reply also kept in arrival order (for the ordering rules of Tflush). Nothing clever, so that
 * what the tests see is what the server sent.
 */
final class RawClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 20;

    private final FrameChannel channel;
    private final ConcurrentHashMap<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<Frame> arrivals = new LinkedBlockingQueue<>();
    private final AtomicInteger nextTag = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final boolean keepArrivals;
    private volatile boolean endedCleanly;
    private volatile boolean closedForSends;

    private RawClient(FrameChannel channel, boolean keepArrivals) {
        this.channel = channel;
        this.keepArrivals = keepArrivals;
        Thread.ofVirtual().name("raw-client-reader").start(this::readLoop);
    }

    static RawClient connect(Endpoint endpoint) throws IOException {
        return new RawClient(endpoint.connect(), true);
    }

    /** A client that does not keep every reply in arrival order (for the 100,000-request tests). */
    static RawClient connectQuiet(Endpoint endpoint) throws IOException {
        return new RawClient(endpoint.connect(), false);
    }

    /** Connects and negotiates 9P2000.L with {@code msize}. */
    static RawClient negotiated(Endpoint endpoint, int msize) throws IOException {
        RawClient c = connect(endpoint);
        Rversion v = c.ok(new Tversion(msize, "9P2000.L"), Rversion.class);
        assertEquals("9P2000.L", v.version());
        return c;
    }

    private void readLoop() {
        try {
            while (true) {
                ByteBuffer frame = channel.readFrame(64 << 20);
                if (frame == null) {
                    endedCleanly = true;
                    return;
                }
                Frame f = Codec.decode(frame);
                if (keepArrivals) {
                    arrivals.add(f);
                }
                CompletableFuture<Frame> waiting = pending.get(f.tag());
                if (waiting != null) {
                    waiting.complete(f);
                }
            }
        } catch (IOException e) {
            // the server closed the connection, or we did
        } finally {
            ended.countDown();
            pending.values().forEach(p -> p.completeExceptionally(new IOException("connection ended")));
            closedForSends = true;
        }
    }

    /** A tag not in use by this client (never NOTAG). */
    int freshTag() {
        while (true) {
            int tag = nextTag.getAndIncrement() & 0xffff;
            CompletableFuture<Frame> previous = pending.get(tag);
            if (tag != Message.NOTAG && (previous == null || previous.isDone())) {
                return tag;
            }
        }
    }

    /** Sends {@code request} under a fresh tag; the reply comes from {@link #reply}. */
    int send(Message.Request request) throws IOException {
        int tag = request instanceof Tversion ? Message.NOTAG : freshTag();
        send(tag, request);
        return tag;
    }

    void send(int tag, Message.Request request) throws IOException {
        expect(tag);
        channel.write(encode(tag, request));
    }

    /** {@code request}'s frame under {@code tag}, for a test that sends it in parts ({@link #sendRaw}). */
    static ByteBuffer encode(int tag, Message.Request request) {
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(request));
        Codec.encode(tag, request, out);
        return out.flip();
    }

    /** Sends bytes as they are, with {@code tag} expected to be answered. */
    void sendRaw(int tag, ByteBuffer frame) throws IOException {
        expect(tag);
        channel.write(frame);
    }

    private void expect(int tag) {
        CompletableFuture<Frame> f = new CompletableFuture<>();
        if (closedForSends) {
            f.completeExceptionally(new IOException("connection ended"));
        }
        pending.put(tag, f);
    }

    /** Sends bytes that will get no reply (a frame that makes the server hang up). */
    void sendRaw(ByteBuffer frame) throws IOException {
        channel.write(frame);
    }

    Message.Response reply(int tag) throws IOException {
        CompletableFuture<Frame> f = pending.get(tag);
        if (f == null) {
            throw new IllegalStateException("nothing sent under tag " + tag);
        }
        try {
            return (Message.Response) f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).message();
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("no reply to tag " + tag, e);
        } catch (ExecutionException e) {
            throw new IOException("no reply to tag " + tag, e.getCause());
        }
    }

    /** Whether a reply to {@code tag} came. */
    boolean answered(int tag) {
        CompletableFuture<Frame> f = pending.get(tag);
        return f == null || f.isDone();
    }

    Message.Response call(Message.Request request) throws IOException {
        return reply(send(request));
    }

    <T extends Message.Response> T ok(Message.Request request, Class<T> type) throws IOException {
        Message.Response r = call(request);
        if (r instanceof Rlerror e) {
            fail(request + " failed: " + Errno.of(e.ecode()) + " (" + e.ecode() + ")");
        }
        return assertInstanceOf(type, r);
    }

    /** Expects Rlerror and returns its errno. */
    Errno error(Message.Request request) throws IOException {
        return Errno.of(assertInstanceOf(Rlerror.class, call(request), () -> request + " should fail").ecode());
    }

    /** The next reply in arrival order. */
    Frame nextArrival() throws InterruptedException {
        Frame f = arrivals.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            fail("no reply arrived");
        }
        return f;
    }

    /** Passes over the next {@code n} replies in arrival order (those of the requests that set a test up). */
    void skipArrivals(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            nextArrival();
        }
    }

    /** Asserts that the next reply in arrival order answers {@code tag} with a {@code type}; returns it. */
    <T extends Message.Response> T expectArrival(int tag, Class<T> type) throws InterruptedException {
        Frame f = nextArrival();
        assertEquals(tag, f.tag(), () -> "reply to tag " + tag + " expected, got " + f);
        return assertInstanceOf(type, f.message());
    }

    /**
     * Asserts that a request the Tflush {@code flush} came too late for is answered first, with a {@code type}, and
     * the Rflush after it: the order the protocol promises, as the next two replies to arrive.
     */
    void expectAnsweredThenFlushed(int tag, Class<? extends Message.Response> type, int flush)
            throws InterruptedException {
        expectArrival(tag, type);
        expectArrival(flush, Rflush.class);
    }

    /** Whether the server hung up (waits for it). */
    boolean awaitHangUp() throws InterruptedException {
        return ended.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    boolean endedCleanly() {
        return endedCleanly;
    }

    // ---- shorthands -----------------------------------------------------------------------------------------

    Qid attach(int fid, String aname) throws IOException {
        return ok(new Tattach(fid, Message.NOFID, "test", aname, 0), Rattach.class).qid();
    }

    List<Qid> walk(int fid, int newfid, String... names) throws IOException {
        return ok(new Twalk(fid, newfid, List.of(names)), Rwalk.class).qids();
    }

    void clunk(int fid) throws IOException {
        ok(new Tclunk(fid), Rclunk.class);
    }

    Rlopen lopen(int fid, int flags) throws IOException {
        return ok(new Tlopen(fid, flags), Rlopen.class);
    }

    int write(int fid, long offset, byte[] data) throws IOException {
        return ok(new Twrite(fid, offset, ByteBuffer.wrap(data)), Rwrite.class).count();
    }

    byte[] read(int fid, long offset, int count) throws IOException {
        ByteBuffer data = ok(new Tread(fid, offset, count), Rread.class).data();
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    Rgetattr getattr(int fid) throws IOException {
        return ok(new Tgetattr(fid, dev.ninefs.protocol.Dotl.GETATTR_ALL), Rgetattr.class);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
