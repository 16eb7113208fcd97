// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.transport.FrameChannel;
import dev.ninefs.transport.Spin;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The thread that reads one connection, and which kind it is. A connection starts on a virtual thread: cheap to
 * keep when idle, and the request threads it starts go to its carrier's queue. A client that waits for each reply
 * before it sends the next (the kernel client doing one thing at a time, a shell command) pays two wake-ups per
 * request there: the JDK's poller thread, then a carrier for the reader. After {@link #TO_PLATFORM} requests in a
 * row that were alone and ran on the reader itself, the reading moves to a platform thread, which the kernel wakes
 * straight from its read (measured: a third of the server CPU per request, twice the round trips); it moves back as
 * soon as requests overlap, since a platform thread that starts virtual threads wakes another carrier for each.
 *
 * <p>Platform readers are few ({@link #LIMIT}, process-wide): a client that went idle keeps its reader blocked in
 * read, and 1,000 idle connections must cost what virtual threads cost.
 */
final class SessionReader {
    private static final System.Logger LOG = System.getLogger(SessionReader.class.getPackageName());
    /** Consecutive lone requests run on a virtual reader before it moves to a platform thread. */
    static final int TO_PLATFORM = 8;
    static final int LIMIT = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** Requests run inline on a platform reader: the stack a backend call needs, with room to spare. */
    private static final long PLATFORM_STACK = 1 << 20;
    private static final Semaphore SLOTS = new Semaphore(LIMIT);

    /** What the reader drives: one step reads and handles one frame. */
    interface Steps {
        Step step() throws IOException;

        /** After the last step: {@code clean} when the client closed its end. */
        void end(boolean clean);

        /** The reading stopped on an exception; {@link #end} follows. */
        void failed(Throwable t);

        /** Whether the next frame's bytes have arrived, without waiting ({@link FrameChannel#pollInput}). */
        boolean pollInput() throws IOException;
    }

    enum Step {
        /** A frame was handled; read the next. */
        NEXT,
        /** The client closed its end: answer what is in flight, then end. */
        CLEAN_END,
        /** A protocol violation, or the session is closing: cancel what is in flight, then end. */
        CUT
    }

    private final long connection;
    private final Steps steps;
    // All reader-thread only; they pass from one reader thread to the next through Thread.start.
    private boolean platform;
    /** A slot is held: by a platform reader, or for the move to one. */
    private boolean slotHeld;
    private int loneStreak;
    private boolean move;
    /**
     * A platform reader serves a client that waits for each reply, whose next request typically comes tens of
     * microseconds after it: polling for it keeps this CPU from going idle and saves the wake-up (see
     * {@link Spin}). A virtual reader does not poll: it serves pipelining clients, whose requests are there already.
     */
    private final Spin spin;

    SessionReader(long connection, Steps steps, Duration spin) {
        this.connection = connection;
        this.steps = steps;
        this.spin = new Spin(spin);
    }

    void start() {
        virtual().start();
    }

    /**
     * Told of each request as it starts: {@code lone} (nothing else in flight, nothing more arrived), {@code inline}
     * (it runs on the reader). Decides whether the reading moves after it.
     */
    void observe(boolean lone, boolean inline) {
        if (inline) {
            if (++loneStreak >= TO_PLATFORM && !slotHeld && SLOTS.tryAcquire()) {
                slotHeld = true;
                move = true;
            }
        } else {
            loneStreak = 0;
            move = platform && !lone;
        }
    }

    /** Platform reader slots free now, for tests. */
    static int freeSlots() {
        return SLOTS.availablePermits();
    }

    private void run() {
        Step last = Step.CUT;
        try {
            while (true) {
                if (platform && spin.begin()) {
                    spin.poll(steps::pollInput);
                }
                if ((last = steps.step()) != Step.NEXT) {
                    break;
                }
                if (move) {
                    move = false;
                    if (moveOn()) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            steps.failed(e);
        }
        giveSlot();
        steps.end(last == Step.CLEAN_END);
    }

    /** Starts the other kind of reader thread; false if none could start and this one goes on. */
    private boolean moveOn() {
        loneStreak = 0;
        if (!platform) {
            platform = true;
            try {
                Thread.ofPlatform().daemon().name("ninefs-conn-" + connection + "-p").stackSize(PLATFORM_STACK)
                        .start(this::run);
                return true;
            } catch (OutOfMemoryError | RuntimeException e) {
                // No platform thread to be had (a process or memory limit): keep reading on this virtual one.
                LOG.log(Level.DEBUG, "conn {0}: no platform reader: {1}", connection, e.toString());
                platform = false;
                giveSlot();
                return false;
            }
        }
        platform = false;
        giveSlot();
        try {
            virtual().start();
            return true;
        } catch (RuntimeException e) {
            // Cannot happen short of a scheduler shut down; keep reading here.
            platform = true;
            LOG.log(Level.DEBUG, "conn {0}: no virtual reader: {1}", connection, e.toString());
            return false;
        }
    }

    private Thread virtual() {
        return Thread.ofVirtual().name("ninefs-conn-" + connection).unstarted(this::run);
    }

    private void giveSlot() {
        if (slotHeld) {
            slotHeld = false;
            SLOTS.release();
        }
    }
}
