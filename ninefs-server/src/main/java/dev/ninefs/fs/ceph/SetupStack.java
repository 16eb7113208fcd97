// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs libcephfs's set-up on a platform thread with a full-size native stack. Loading libcephfs.so.2 runs
 * libceph-common's static initialisers, which build the table of every Ceph option in one very large stack frame;
 * on a thread with the 512 KiB stack that {@code bin/ninefs} gives Java threads ({@code -Xss512k}) that overflowed
 * and the JVM died with SIGSEGV in {@code Option::Option}. Creating, configuring and mounting a client go the same
 * way, so that no set-up call depends on the caller's stack size.
 *
 * <p>Its own class, not a part of {@link LibCephFs}: {@code LibCephFs} loads the library in its static initialiser,
 * and a thread started from there must not touch {@code LibCephFs} (it would wait for the initialisation that is
 * waiting for it).
 */
final class SetupStack {
    /** What a C program's main thread gets on Linux (ulimit -s: 8 MiB), twice over; only touched pages cost. */
    static final long BYTES = 16L << 20;

    private SetupStack() {
    }

    /** The library, or empty when it is not installed. */
    @SuppressWarnings("restricted") // probed once; the library is never unloaded
    static Optional<SymbolLookup> loadLibrary(String soname) {
        try {
            return run("libcephfs-load", () -> {
                try {
                    return Optional.of(SymbolLookup.libraryLookup(soname, Arena.global()));
                } catch (IllegalArgumentException missing) {
                    return Optional.<SymbolLookup>empty();
                }
            });
        } catch (ErrnoException e) {
            throw new IllegalStateException("loading " + soname, e); // the step above has no errno to report
        }
    }

    /** A set-up step that may fail with an errno. */
    @FunctionalInterface
    interface Step<T> {
        T call() throws ErrnoException;
    }

    /**
     * Runs {@code step} on a new platform thread with {@link #BYTES} of stack and waits for it. An interrupt does not
     * end the wait: the step owns native state (a half-made client) that only it can release; the interrupt is kept.
     */
    static <T> T run(String name, Step<T> step) throws ErrnoException {
        var result = new CompletableFuture<T>();
        start(name, () -> {
            try {
                result.complete(step.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case ErrnoException errno -> throw errno;
                        case RuntimeException runtime -> throw runtime;
                        case Error error -> throw error;
                        case Throwable other -> throw new IllegalStateException("cephfs: " + name, other);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts {@code body} on a new daemon platform thread with {@link #BYTES} of stack. */
    static Thread start(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).stackSize(BYTES).start(body);
    }
}
