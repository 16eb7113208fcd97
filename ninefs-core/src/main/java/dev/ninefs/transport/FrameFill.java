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
 * <p>Ownership: the frame's pooled buffer ({@link FrameBuffers}) may be given back while it is still filling (a
 * request that failed early): it then goes back to the pool only once filling has ended.
 */
public final class FrameFill {
    private static final int FILLING = 0, ENDED = 1, GIVEN_BACK = 2;

    /** Address of the frame's first byte. */
    private final long frameAddress;
    private final int size;
    /** Fills the rest of the frame in the reader thread ({@link StreamFrameChannel}): for a request run there. */
    private final FillRest fillRest;
    private final Thread reader;
    /** Bytes of the frame in place, from its start; written by the reader thread. */
    private volatile int filled;
    private volatile boolean failed;
    /** The request thread waiting, and the frame offset it waits for. */
    private volatile Thread waiter;
    private volatile int wanted;
    private final AtomicInteger state = new AtomicInteger(FILLING);

    /** Reads the rest of a pending frame on the reader thread. */
    @FunctionalInterface
    interface FillRest {
        void run() throws IOException;
    }

    FrameFill(ByteBuffer frame, int filled, FillRest fillRest) {
        this.frameAddress = MemorySegment.ofBuffer(frame.duplicate().clear()).address();
        this.size = frame.limit();
        this.filled = filled;
        this.fillRest = fillRest;
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
        long from = MemorySegment.ofBuffer(data).address() - frameAddress;
        int end = (int) Math.min(from + need, from + data.remaining());
        if (filled < end && Thread.currentThread() == reader) {
            fillRest.run(); // the request runs on the reader thread: nobody else would read
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
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Whether the frame is still filling; if so it is marked given back, for {@link #end} to return to the pool. */
    boolean deferGiveBack() {
        return state.compareAndSet(FILLING, GIVEN_BACK);
    }
}
