// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Many requests in flight on one connection. Callers encode their own frames and hand them to the {@link Wire},
 * which sends them without ever letting an interrupt reach the channel (an interrupt closes an interruptible
 * channel for everyone); the wire's reader hands each reply to the call waiting under its tag. A virtual thread,
 * only when there is a timeout, sweeps for overdue calls.
 *
 * <p>Tags: a semaphore admits at most {@code maxInFlight} requests; tags come from a pool twice that size because
 * every flushed request keeps its own tag and needs a second one for its Tflush until the Rflush arrives.
 *
 * <p>Fids: this is the only place that sees every reply, including those of flushed requests, so it decides when
 * a fid number may go back to the {@link FidPool} (see {@link #settle}).
 */
final class Multiplexer {
    /** Byte offset of tag[2] in a frame: size[4] type[1] tag[2]. */
    private static final int TAG_OFFSET = 5;
    /** Twrite's fields before its data: fid[4] offset[8] count[4], after the header. */
    private static final int TWRITE_HEAD = Codec.HEADER_SIZE + 16;
    /** A frame this large is written by its caller even with others in flight: batching would only copy it. */
    private static final int WRITE_NOW = 64 << 10;
    /** Lone requests in a row after which callers do their own I/O (see {@link #loneStreak}). */
    private static final int LONE = 3;

    private final int msize;
    private final long timeoutNanos;
    private final int maxInFlight;
    private final Semaphore permits;
    private final TagPool tags;
    private final AtomicReferenceArray<PendingCall> calls;
    private final FidPool fids;
    private final ReplyPool replyPool;
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    /** Calls in the table: requests sent (Tflush included) whose reply has not been dispatched. */
    private final AtomicInteger due = new AtomicInteger();
    /**
     * Requests in a row that were alone in flight when sent. A caller writes and reads for itself only once this
     * shows a lone caller, not at the lull after each burst of many callers (who do better batched).
     */
    private volatile int loneStreak;
    private final Wire wire;
    private final Thread sweeper;

    private Multiplexer(FrameChannel channel, int msize, ClientOptions options, FidPool fids) {
        this.msize = msize;
        this.timeoutNanos = options.timeout().toNanos();
        this.maxInFlight = options.maxInFlight();
        this.permits = new Semaphore(maxInFlight);
        this.tags = new TagPool(Math.min(0xffff, 2 * maxInFlight));
        this.calls = new AtomicReferenceArray<>(tags.capacity());
        this.fids = fids;
        this.replyPool = new ReplyPool(msize);
        this.wire = Wire.of(channel, this, options);
        this.sweeper = timeoutNanos > 0
                ? Thread.ofVirtual().name("9p-timeouts " + channel.peer()).unstarted(this::sweepLoop)
                : null;
    }

    /** Starts serving a channel on which Tversion has been negotiated already. */
    static Multiplexer start(FrameChannel channel, int msize, ClientOptions options, FidPool fids) {
        Multiplexer mux = new Multiplexer(channel, msize, options, fids);
        mux.wire.start();
        if (mux.sweeper != null) {
            mux.sweeper.start();
        }
        return mux;
    }

    /**
     * Sends {@code request} and returns its reply to come. Blocks only while all {@code maxInFlight} tags are in
     * use (at most the timeout). Never throws: every failure is in the future. From the moment this is called, the
     * fate of a fid the request creates or ends belongs to the multiplexer.
     */
    CallFuture send(Message.Request request) {
        return send(request, false, false, false);
    }

    /**
     * Like {@link #send(Message.Request)}. With {@code pooledReply}, a large Rread may arrive in a pooled buffer,
     * which the caller gives back with {@link CallFuture#recycle} once it has copied the data out (or never). With
     * {@code awaited}, the caller promises to {@link CallFuture#await} the reply at once, so it may read the reply
     * itself instead of waking the wire's reader for it. With {@code mayWait}, the caller blocks for the reply
     * anyway, so it may wait here for room in the socket rather than have the data it lends copied.
     */
    CallFuture send(Message.Request request, boolean pooledReply, boolean awaited, boolean mayWait) {
        return send(request, pooledReply, awaited, mayWait, false);
    }

    /**
     * A request of a transfer window ({@link Transfers}): its caller writes it itself when the wire is free (it
     * blocks for the window's replies anyway, so a hand-over to the writer thread would only add a wake-up), and
     * promises to {@link CallFuture#awaitInTransfer} every reply of the window, or to call {@link #replyDue} if
     * it gives up on some, so the reader is not woken for them now.
     */
    CallFuture sendInTransfer(Message.Request request, boolean pooledReply) {
        return send(request, pooledReply, true, true, true);
    }

    private CallFuture send(Message.Request request, boolean pooledReply, boolean awaited, boolean mayWait,
            boolean transfer) {
        IOException dead = failure.get();
        if (dead != null) {
            return unsent(request, dead);
        }
        // Encoded with a placeholder tag before a tag is held, which also validates the request.
        ByteBuffer[] frame;
        try {
            frame = encodeFrame(request);
        } catch (RuntimeException e) {
            return unsent(request, new ErrnoException(Errno.EINVAL, name(request) + ": " + e.getMessage(), e));
        }
        long size = frame[0].remaining() + (frame.length > 1 ? frame[1].remaining() : 0);
        if (size > msize) {
            return unsent(request, new ErrnoException(Errno.EMSGSIZE,
                    name(request) + " takes " + size + " bytes, more than msize " + msize));
        }
        long start = System.nanoTime();
        try {
            boolean admitted = timeoutNanos > 0
                    ? permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)
                    : acquireForever();
            if (!admitted) {
                return unsent(request, new ErrnoException(Errno.ETIMEDOUT,
                        name(request) + ": no free tag within the timeout (" + maxInFlight + " in flight)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unsent(request, new ErrnoException(Errno.EINTR, name(request) + " interrupted waiting for a tag"));
        }
        dead = failure.get();
        if (dead != null) {
            permits.release();
            return unsent(request, dead);
        }
        int tag = tags.allocate();
        if (tag < 0) {
            throw new IllegalStateException("tag pool exhausted although a permit was held");
        }
        PendingCall call = new PendingCall(this, tag, request, start + timeoutNanos, timeoutNanos > 0, null, true);
        call.pooledReply = pooledReply;
        boolean alone = lone(due.incrementAndGet() == 1);
        calls.set(tag, call);
        frame[0].putShort(TAG_OFFSET, (short) tag);
        wire.send(frame, frame.length > 1, alone || transfer || size >= WRITE_NOW, mayWait);
        if (!awaited) {
            wire.replyDue();
        }
        dead = failure.get();
        if (dead != null) { // raced with fail(), which may have swept the table before the call was in it
            call.future.completeExceptionally(dead);
        }
        return call.future;
    }

    private boolean acquireForever() throws InterruptedException {
        permits.acquire();
        return true;
    }

    private CallFuture unsent(Message.Request request, IOException cause) {
        int created = FidPool.createdBy(request);
        if (created >= 0) {
            fids.release(created);
        }
        return CallFuture.failed(cause);
    }

    /**
     * Fails {@code call} with {@code errno} and sends Tflush for it, unless its reply won the race. Its tag stays
     * reserved until the Rflush arrives; a reply that arrives before that is discarded.
     */
    void abort(PendingCall call, Errno errno) {
        if (!call.startFlush()) {
            return;
        }
        String why = switch (errno) {
            case ETIMEDOUT -> " timed out";
            case EINTR -> " interrupted";
            case ECANCELED -> " cancelled";
            default -> " aborted";
        };
        call.future.completeExceptionally(new ErrnoException(errno, name(call.request) + why + "; flushed"));
        if (failure.get() != null) {
            return;
        }
        wire.wakeLeader(); // the caller may be reading replies itself: it has its answer now
        int flushTag = tags.allocate();
        if (flushTag < 0) {
            fail(new ConnectionClosedException("no tag left to flush tag " + call.tag));
            return;
        }
        Message.Tflush tflush = new Message.Tflush(call.tag);
        PendingCall flush = new PendingCall(this, flushTag, tflush, 0, false, call, false);
        due.incrementAndGet();
        calls.set(flushTag, flush);
        wire.send(new ByteBuffer[] {encode(flushTag, tflush)}, false, false, false);
        wire.replyDue();
    }

    /**
     * Reads replies in the calling thread until {@code reply} completes, if it is the only request in flight (a
     * lone round trip then costs one wake-up) and the wire allows. With others in flight the wire's reader reads,
     * one read for a burst of replies.
     */
    void lead(CallFuture reply) {
        if (due.get() <= 1 && loneStreak >= LONE) {
            wire.lead(reply);
        } else {
            wire.replyDue();
        }
    }

    /**
     * Like {@link #lead}, for a caller awaiting one reply of its transfer window, {@code mine} requests of which
     * are in flight: it reads replies itself when they are all there is in flight. With {@code more}, it awaits
     * another reply of its window next, so the wire's reader is not woken for the replies still due.
     */
    void leadTransfer(CallFuture reply, int mine, boolean more) {
        if (due.get() <= mine) {
            wire.lead(reply, more);
        } else {
            wire.replyDue();
        }
    }

    /** Replies are due that no caller is going to read (a transfer gave up on its window). */
    void replyDue() {
        wire.replyDue();
    }

    private boolean lone(boolean aloneNow) {
        int streak = loneStreak; // racy on purpose: a hint, and a lost update only delays the switch
        loneStreak = aloneNow ? Math.min(streak + 1, LONE) : 0;
        return aloneNow && streak + 1 >= LONE;
    }

    /** Whether some request still waits for its reply (a reader is needed). */
    boolean repliesDue() {
        return due.get() > 0;
    }

    int msize() {
        return msize;
    }

    int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    boolean isOpen() {
        return failure.get() == null;
    }

    /** Closes the connection; every waiting call fails with {@code cause}. */
    void fail(IOException cause) {
        if (!failure.compareAndSet(null, cause)) {
            return;
        }
        wire.close();
        if (sweeper != null) {
            sweeper.interrupt();
        }
        for (int i = 0; i < calls.length(); i++) {
            PendingCall call = calls.get(i);
            if (call != null) {
                call.future.completeExceptionally(cause);
            }
        }
        // Wake everyone waiting for a tag: they see the failure and give up.
        permits.release(ClientOptions.MAX_IN_FLIGHT + 1);
    }

    // ---- replies (called by the wire's reader) ---------------------------------------------------------------

    static ConnectionClosedException brokeProtocol(String peer, ProtocolException e) {
        return new ConnectionClosedException(
                "closed the connection: server " + peer + " broke the protocol: " + e.getMessage(), e);
    }

    /**
     * A pooled buffer of at least {@code size} bytes for the reply arriving under {@code tag}, or null for a
     * buffer of its own: pooled only for a large Rread whose caller gives the buffer back.
     */
    ByteBuffer replyBuffer(int tag, int type, int size) {
        PendingCall call = tag < calls.length() ? calls.get(tag) : null;
        return call != null && call.pooledReply && type == Message.RREAD ? replyPool.take() : null;
    }

    /**
     * The landing for the large Rread of {@code size} bytes and {@code count} bytes of data arriving under
     * {@code tag}, if its data may be read straight into its caller's buffer by the current thread (see
     * {@link Landing#of}); null otherwise.
     */
    Landing landing(int tag, int size, long count) {
        PendingCall call = tag < calls.length() ? calls.get(tag) : null;
        return call != null ? Landing.of(call, tag, size, count) : null;
    }

    void recycle(ByteBuffer pooled) {
        replyPool.give(pooled);
    }

    /** Hands a reply to its call; {@code pooled} is the pooled buffer it arrived in, if any. */
    void dispatch(Frame frame, ByteBuffer pooled) throws ProtocolException {
        int tag = frame.tag();
        Message message = frame.message();
        if (!(message instanceof Message.Response reply)) {
            throw new ProtocolException("server sent a request, " + name(message), tag, message.type());
        }
        PendingCall call = tag < calls.length() ? calls.get(tag) : null;
        if (call == null) {
            throw new ProtocolException(name(reply) + " for tag " + tag + ", which no request uses", tag, reply.type());
        }
        if (!(reply instanceof Message.Rlerror) && reply.type() != call.request.type() + 1) {
            throw new ProtocolException(name(reply) + " answers " + name(call.request) + " (tag " + tag + ")", tag,
                    reply.type());
        }
        if (reply instanceof Message.Rwalk w && call.request instanceof Message.Twalk t
                && w.qids().size() > t.wnames().size()) {
            throw new ProtocolException("Rwalk has " + w.qids().size() + " qids for " + t.wnames().size() + " names",
                    tag, reply.type());
        }
        if (call.flushed != null) {
            finishFlush(call);
        } else if (call.answer()) {
            free(call);
            settle(call.request, reply);
            if (reply instanceof Message.Rlerror e) {
                recycleIf(pooled);
                call.future.completeExceptionally(errnoException(call.request, e.ecode()));
            } else {
                call.pooled = pooled;
                call.future.complete(reply);
            }
        } else if (call.lateReply == null) {
            recycleIf(pooled);
            // Flushed, but it completed first: the caller has its error already; only the fid bookkeeping remains.
            call.lateReply = reply;
            settleLate(call.request, reply);
        } else {
            throw new ProtocolException("second reply for tag " + tag + " before its Rflush", tag, reply.type());
        }
    }

    private void recycleIf(ByteBuffer pooled) {
        if (pooled != null) {
            replyPool.give(pooled);
        }
    }

    private void finishFlush(PendingCall flush) {
        free(flush);
        PendingCall target = flush.flushed;
        if (target.lateReply == null) {
            settleUnanswered(target.request);
        }
        free(target);
    }

    private void free(PendingCall call) {
        due.decrementAndGet();
        calls.set(call.tag, null);
        tags.release(call.tag);
        if (call.holdsPermit) {
            permits.release();
        }
    }

    static ErrnoException errnoException(Message.Request request, int code) {
        String name = Errno.known(code) ? Errno.of(code).name() : "errno " + code;
        return new ErrnoException(code, name(request) + ": " + name);
    }

    // ---- fid bookkeeping ------------------------------------------------------------------------------------

    /** A reply reached its caller. */
    private void settle(Message.Request request, Message.Response reply) {
        int created = FidPool.createdBy(request);
        if (created >= 0 && !FidPool.created(reply)) {
            fids.release(created);
        }
        int ended = FidPool.endedBy(request);
        if (ended >= 0) {
            fids.release(ended);
        }
    }

    /** A flushed request completed anyway: a fid it created is nobody's, so clunk it. */
    private void settleLate(Message.Request request, Message.Response reply) {
        int created = FidPool.createdBy(request);
        if (created >= 0) {
            if (FidPool.created(reply)) {
                clunkOrphan(created);
            } else {
                fids.release(created);
            }
        }
        int ended = FidPool.endedBy(request);
        if (ended >= 0) {
            fids.release(ended);
        }
    }

    /** A flushed request never ran: a fid it would have created is free, one it would have ended still lives. */
    private void settleUnanswered(Message.Request request) {
        int created = FidPool.createdBy(request);
        if (created >= 0) {
            fids.release(created);
        }
        int ended = FidPool.endedBy(request);
        if (ended >= 0) {
            clunkOrphan(ended);
        }
    }

    /** On its own virtual thread, because the reader must never wait for a tag. */
    private void clunkOrphan(int fid) {
        Thread.ofVirtual().name("9p-clunk " + fid).start(() -> send(new Message.Tclunk(fid)));
    }

    // ---- sweeper ------------------------------------------------------------------------------------------

    private void sweepLoop() {
        // Deadlines are checked a few times per timeout: cheaper than a timer task per request.
        long period = Math.clamp(timeoutNanos / 8, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
        while (failure.get() == null) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (int i = 0; i < calls.length(); i++) {
                PendingCall call = calls.get(i);
                if (call != null && call.hasDeadline && now - call.deadline >= 0 && call.inFlight()) {
                    abort(call, Errno.ETIMEDOUT);
                }
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /**
     * The frame of {@code request} with tag 0: one buffer, or for a Twrite its header and then the caller's data
     * itself (a gathering write sends both, so that file data is not copied into a frame).
     */
    private static ByteBuffer[] encodeFrame(Message.Request request) {
        if (request instanceof Message.Twrite w) {
            ByteBuffer head = ByteBuffer.allocate(TWRITE_HEAD).order(ByteOrder.LITTLE_ENDIAN);
            Codec.encodeWithoutPayload(0, w, head);
            return new ByteBuffer[] {head.flip(), w.data().duplicate()};
        }
        return new ByteBuffer[] {encode(0, request)};
    }

    static ByteBuffer encode(int tag, Message message) {
        ByteBuffer frame = ByteBuffer.allocate(Codec.encodedSize(message)).order(ByteOrder.LITTLE_ENDIAN);
        Codec.encode(tag, message, frame);
        return frame.flip();
    }

    static String name(Message message) {
        return message.getClass().getSimpleName();
    }
}
