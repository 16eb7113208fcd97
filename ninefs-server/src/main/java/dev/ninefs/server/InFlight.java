// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import java.util.ArrayList;
import java.util.List;

/**
 * A request between its arrival and its reply, under its tag. Its monitor orders the three things that can happen
 * to it: its own completion, a Tflush (which interrupts it and waits for it), and an abort (Tversion or the end of
 * the session, which interrupts it and discards its reply). Once {@link #markDone} ran nobody interrupts the
 * thread any more, so it can write replies without an interrupt closing the channel.
 */
final class InFlight {
    final int tag;
    /** The thread running the request, or null for a Tflush waiting on another request. */
    private Thread thread;
    /** Whether the request holds one of the session's in-flight permits. */
    final boolean permit;
    private boolean done;
    private boolean flushed;
    private boolean aborted;
    private List<InFlight> flushes;

    InFlight(int tag, boolean permit) {
        this.tag = tag;
        this.permit = permit;
    }

    /**
     * The thread that runs the request (the session's reader, for a request it runs itself); set before it starts
     * and before the tag is visible to Tflush.
     */
    synchronized void runOn(Thread runner) {
        this.thread = runner;
    }

    /** Starts the request's thread (after the tag is registered, so that its completion finds it). */
    void start() {
        Thread runner;
        synchronized (this) {
            runner = thread;
        }
        runner.start();
    }

    /**
     * A Tflush for this request: if it is still running, records {@code flush} to be answered after it and
     * interrupts it, and returns true; returns false if it already finished (answer the flush at once).
     */
    synchronized boolean flushBy(InFlight flush) {
        if (done) {
            return false;
        }
        flushed = true;
        if (flushes == null) {
            flushes = new ArrayList<>(1);
        }
        flushes.add(flush);
        if (thread != null) {
            thread.interrupt();
        }
        return true;
    }

    /** Discards the reply to come and interrupts the request. */
    synchronized void abort() {
        aborted = true;
        if (!done && thread != null) {
            thread.interrupt();
        }
    }

    synchronized boolean isDone() {
        return done;
    }

    /**
     * Marks the request finished and clears the interrupt it may have received. Returns whether its reply is to
     * be sent: not if the session aborted it, nor if a Tflush cancelled it, that is it {@code failed} once flushed
     * (the interrupt stopped it, or it failed anyway: either way it changed nothing the client must learn). A
     * request that succeeded despite the interrupt is answered, before the Rflush: its effects happened.
     */
    synchronized boolean markDone(boolean failed) {
        done = true;
        if (thread == Thread.currentThread()) {
            Thread.interrupted();
        }
        return !aborted && !(flushed && failed);
    }

    /** The Tflushes waiting for this request, in arrival order; call after {@link #markDone}. */
    synchronized List<InFlight> flushes() {
        return flushes == null ? List.of() : flushes;
    }
}
