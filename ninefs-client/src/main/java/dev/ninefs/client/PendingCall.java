// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Message;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request on the wire, waiting for its reply under its tag.
 *
 * <p>Its state moves once, by compare-and-set, from {@code IN_FLIGHT} either to {@code ANSWERED} (the reader got
 * the reply first) or to {@code FLUSHING} (a timeout, an interrupt or a cancel got there first). A flushing call
 * keeps its tag until the Rflush of its Tflush arrives; a reply that arrives meanwhile is recorded in
 * {@link #lateReply} and never reaches the caller.
 */
final class PendingCall {
    private static final int IN_FLIGHT = 0, ANSWERED = 1, FLUSHING = 2;

    final int tag;
    final Message.Request request;
    /** {@link System#nanoTime} after which the call times out; meaningless when {@link #hasDeadline} is false. */
    final long deadline;
    final boolean hasDeadline;
    /** For a Tflush: the call it flushes. */
    final PendingCall flushed;
    /** Whether this call holds one of the multiplexer's in-flight permits (a Tflush does not). */
    final boolean holdsPermit;
    final CallFuture future;
    private final AtomicInteger state = new AtomicInteger(IN_FLIGHT);
    /** Written and read by the reader thread only. */
    Message.Response lateReply;
    /** Whether a large Rread may arrive in a pooled buffer (the caller recycles it); set before sending. */
    boolean pooledReply;
    /** The pooled buffer the reply arrived in; written before the future completes, which publishes it. */
    ByteBuffer pooled;
    /**
     * Where a large Rread's data may be read straight from the socket, by its owner only (see {@link Landing});
     * written by the owner alone. Any other thread that reads it sees either null or a sink that is not its own,
     * and leaves it alone.
     */
    Sink sink;

    /** The caller's buffer for this call's reply data, and the one thread that may read the socket into it. */
    record Sink(Thread owner, ByteBuffer data) {}

    PendingCall(Multiplexer mux, int tag, Message.Request request, long deadline, boolean hasDeadline,
            PendingCall flushed, boolean holdsPermit) {
        this.future = new CallFuture(mux, this);
        this.tag = tag;
        this.request = request;
        this.deadline = deadline;
        this.hasDeadline = hasDeadline;
        this.flushed = flushed;
        this.holdsPermit = holdsPermit;
    }

    /** Claims the call for its reply; false if it is being flushed. */
    boolean answer() {
        return state.compareAndSet(IN_FLIGHT, ANSWERED);
    }

    /** Claims the call for a flush; false if it was answered or is flushed already. */
    boolean startFlush() {
        return state.compareAndSet(IN_FLIGHT, FLUSHING);
    }

    boolean inFlight() {
        return state.get() == IN_FLIGHT;
    }

    boolean flushing() {
        return state.get() == FLUSHING;
    }
}
