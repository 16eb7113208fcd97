// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A large Twrite frame handed out before all of its data has arrived: {@link StreamFrameChannel#readFrame} returns
 * it once the fields before the data are in, so that the request can write the data to its file as it arrives
 * (receiving and writing overlap) instead of after the whole frame. Only the connection's reader thread reads the
 * socket: it goes on filling the frame at its next {@code readFrame}, publishing how far it got; the request
 * thread, which may be interrupted by a Tflush and so must never touch the socket, waits for the bytes it needs
 * ({@link #awaitData}). If the request runs on the reader thread itself, waiting fills the rest of the frame there.
 *
 * <p>The request may instead have the rest of the data sent elsewhere without passing through memory
 * ({@link #divert}): the reader then moves it from the socket's descriptor to the request's {@link Sink} (the
 * server splices it into the file), taking exactly the frame's bytes, and the frame's buffer keeps only what had
 * arrived before.
 *
 * <p>Ownership: the frame's pooled buffer ({@link FrameBuffers}) may be given back while it is still filling (a
 * request that failed early): it then goes back to the pool only once filling has ended.
 */
public final class FrameFill {
    private static final int FILLING = 0, ENDED = 1, GIVEN_BACK = 2;
    /** Where a diversion stands: none asked, asked by the request, taken by the reader, refused (too late). */
    private static final int UNASKED = 0, ASKED = 1, TAKEN = 2, REFUSED = 3;

    /** Address of the frame's first byte. */
    private final long frameAddress;
    private final int size;
    /** The frame's reader ({@link StreamFrameChannel}): fills the rest in its thread, for a request run there. */
    private final Reader channel;
    private final Thread reader;
    /** Bytes of the frame in place, from its start; written by the reader thread. */
    private volatile int filled;
    private volatile boolean failed;
    /** The request thread waiting, and the frame offset it waits for. */
    private volatile Thread waiter;
    private volatile int wanted;
    private final AtomicInteger state = new AtomicInteger(FILLING);
    private final AtomicInteger diversion = new AtomicInteger(UNASKED);
    /** The request's sink and the frame offset of its data's first byte; published by the diversion's CAS. */
    private Sink sink;
    private int dataStart;
    /** The reader is done with the frame ({@link #end}), and with the sink if it took one. */
    private volatile boolean ended;
    /** The reader thread while it waits for the request to say whether it diverts ({@link #awaitDecision}). */
    private volatile Thread undecided;

    /** What a frame's reader does for its fill. */
    interface Reader {
        /** Reads the rest of the pending frame; on the reader thread. */
        void fillRest() throws IOException;

        /** Whether the rest can go to a {@link Sink}: the connection is a socket whose descriptor we see. */
        boolean canDivert();

        /** See {@link FrameFill#closeWithConnection}. */
        void closeWithConnection(AutoCloseable resource);
    }

    /**
     * Where the rest of a frame's data goes instead of memory ({@link #divert}): the server's file, through
     * splice(2). The reader thread calls it, one call at a time; {@code at} is the offset in the data of the first
     * byte of a call.
     */
    public interface Sink {
        /**
         * Moves up to {@code max} bytes (at least one) from the socket with descriptor {@code socket} (good for this
         * call only) to the sink. Returns the bytes taken from the socket; 0 when it has none now, which only a call
         * that may not {@code wait} answers (a virtual thread: the JDK would not see it blocked); -1 at the end of the
         * stream. One that may wait blocks until bytes come or the input is shut down, which closing the channel
         * does first. A failure of the destination is not thrown: the sink keeps it, still returns what it took
         * from the socket, and takes nothing more ({@link #stopped}).
         *
         * @throws IOException if the socket failed
         */
        long splice(int socket, long at, int max, boolean wait) throws IOException;

        /** Takes bytes of the rest that came through memory after all (the socket had none to splice). */
        void write(long at, ByteBuffer bytes);

        /** Whether the sink takes no more bytes: the reader reads the rest of the frame and drops it. */
        boolean stopped();
    }

    FrameFill(ByteBuffer frame, int filled, Reader channel) {
        this.frameAddress = MemorySegment.ofBuffer(frame.duplicate().clear()).address();
        this.size = frame.limit();
        this.filled = filled;
        this.channel = channel;
        this.reader = Thread.currentThread();
    }

    /**
     * Waits until at least {@code need} bytes of {@code data} (a view of the frame, from its position) are in place,
     * and returns how many are (at most {@code data.remaining()}). An interrupt does not stop the wait (the bytes are
     * on their way, or the connection fails); the thread's interrupt status is kept.
     *
     * @throws IOException if the connection failed before they arrived
     */
    public int awaitData(ByteBuffer data, int need) throws IOException {
        if (diversion.get() == UNASKED && diversion.compareAndSet(UNASKED, REFUSED)) {
            decided(); // the request wants the data in memory: the reader may go on reading
        }
        long from = MemorySegment.ofBuffer(data).address() - frameAddress;
        int end = (int) Math.min(from + need, from + data.remaining());
        if (filled < end && Thread.currentThread() == reader) {
            channel.fillRest(); // the request runs on the reader thread: nobody else would read
        }
        boolean interrupted = false;
        try {
            while (filled < end && !failed) {
                wanted = end;
                waiter = Thread.currentThread();
                if (filled < end && !failed) {
                    LockSupport.park(this);
                }
                interrupted |= Thread.interrupted();
            }
        } finally {
            waiter = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (filled < end) {
            throw new IOException("connection failed before the Twrite data arrived");
        }
        return (int) Math.min(filled - from, data.remaining());
    }

    /**
     * Has the reader send all of {@code data} (a view of the frame from its position to its end) to {@code sink}:
     * what is in memory already through {@link Sink#write}, the rest straight from the socket. Returns once the
     * reader is done with the sink: true. False when the data is not diverted (the connection has no socket
     * descriptor, all of the frame arrived first, or the data was asked for in memory): it then comes into memory
     * as before ({@link #awaitData}). Interrupts do not stop it; the interrupt status is kept.
     *
     * @throws IOException if the connection failed before the frame's end (the sink may have had part of it)
     */
    public boolean divert(ByteBuffer data, Sink sink) throws IOException {
        if (!channel.canDivert()) {
            return false;
        }
        this.sink = sink;
        this.dataStart = (int) (MemorySegment.ofBuffer(data).address() - frameAddress);
        if (!diversion.compareAndSet(UNASKED, ASKED)) {
            return false; // the frame is complete, or its data was asked for in memory
        }
        decided();
        if (Thread.currentThread() == reader) {
            channel.fillRest(); // the request runs on the reader thread: it takes the sink there and then
        }
        boolean interrupted = false;
        try {
            wanted = Integer.MAX_VALUE;
            while (true) {
                int d = diversion.get();
                if (d == TAKEN ? ended : d == REFUSED) {
                    break;
                }
                if (d == ASKED && failed && diversion.compareAndSet(ASKED, REFUSED)) {
                    break; // the reader stopped before it took the sink
                }
                waiter = Thread.currentThread();
                d = diversion.get();
                if (d == TAKEN ? !ended : d == ASKED && !failed) {
                    LockSupport.park(this);
                }
                interrupted |= Thread.interrupted();
            }
        } finally {
            waiter = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (filled < size) {
            throw new IOException("connection failed before the Twrite data arrived");
        }
        return diversion.get() == TAKEN;
    }

    /**
     * Waits, at most {@code nanos}, until the request says whether it has the rest of the data diverted, so that the
     * reader does not read into memory what could have been spliced: the request thread starts while the reader
     * would already be reading. A request that never runs (dropped) costs one wait. Reader thread only.
     */
    void awaitDecision(long nanos) {
        if (!channel.canDivert()) {
            return;
        }
        if (diversion.get() == UNASKED) {
            Thread.yield(); // most often the request decides now, which saves a timed wait
        }
        long deadline = System.nanoTime() + nanos;
        undecided = Thread.currentThread();
        try {
            while (diversion.get() == UNASKED && !failed && state.get() == FILLING
                    && !Thread.currentThread().isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            undecided = null;
        }
    }

    /** Wakes the reader waiting for the request's decision. */
    private void decided() {
        Thread r = undecided;
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    /**
     * Has the connection close {@code resource} when it closes (at once if it is closed already): for what a
     * {@link Sink} keeps from one frame to the next, such as the pipe the server splices through, so that it costs
     * nothing on a connection that never diverts and lasts no longer than the connection.
     */
    public void closeWithConnection(AutoCloseable resource) {
        channel.closeWithConnection(resource);
    }

    /**
     * The sink a request asked for, taken by the reader thread, which from now on sends the frame's data there;
     * null when none was asked for.
     */
    Sink take() {
        if (diversion.get() != ASKED || !diversion.compareAndSet(ASKED, TAKEN)) {
            return null; // none asked for, or the request gave up: the connection is closing
        }
        return sink;
    }

    /** The frame offset of the data's first byte, for the sink's offsets; once the sink is taken. */
    int dataStart() {
        return dataStart;
    }

    /** The reader thread filled the frame up to {@code position}. */
    void progress(int position) {
        filled = position;
        Thread w = waiter;
        if (w != null && position >= wanted) {
            LockSupport.unpark(w);
        }
    }

    /**
     * The frame is complete ({@code ok}) or will never be: wakes the waiter; gives the buffer back if it was. The
     * reader thread calls it once, when it stopped reading into the frame.
     */
    void end(ByteBuffer frame, boolean ok) {
        if (ok) {
            filled = size;
        } else {
            failed = true;
        }
        if (!diversion.compareAndSet(UNASKED, REFUSED)) {
            diversion.compareAndSet(ASKED, REFUSED); // asked for too late: all of it is in memory (or lost)
        }
        ended = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        if (!state.compareAndSet(FILLING, ENDED)) {
            FrameBuffers.give(frame); // given back while it filled: now it may go back to the pool
        }
    }

    /**
     * The channel is closing under the reader: the waiter gives up now. The buffer stays with the reader thread,
     * which may still be in a read into it, until it calls {@link #end}.
     */
    void abandon() {
        failed = true;
        decided();
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Whether the frame is still filling; if so it is marked given back, for {@link #end} to return to the pool. */
    boolean deferGiveBack() {
        if (state.compareAndSet(FILLING, GIVEN_BACK)) {
            decided(); // the request is done: nothing will be diverted
            return true;
        }
        return false;
    }
}
