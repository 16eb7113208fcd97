// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The reply to one request. Cancelling it flushes the request (Tflush) instead of merely forgetting it, so that
 * the server stops working on it and the tag is reused only when that is safe.
 */
final class CallFuture extends CompletableFuture<Message.Response> {
    private final Multiplexer mux;
    /** Null for a future that failed before its request was sent. */
    private final PendingCall call;

    CallFuture(Multiplexer mux, PendingCall call) {
        this.mux = mux;
        this.call = call;
    }

    static CallFuture failed(IOException cause) {
        CallFuture f = new CallFuture(null, null);
        f.completeExceptionally(cause);
        return f;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        abort(Errno.ECANCELED);
        return cancelled;
    }

    /**
     * Runs continuations of async calls. Never the reader thread: a continuation that blocks, or sends a request
     * while every tag is taken, would stop the very thread that frees tags. A virtual thread costs about a
     * microsecond.
     */
    static final Executor CONTINUATIONS = task -> Thread.ofVirtual().start(task);

    /**
     * The reply turned into what an async method returns, completed on a virtual thread of its own so that its
     * dependent stages may block. Cancelling the result flushes the request too (a plain {@code thenApply} stage
     * would only forget it).
     */
    <T> CompletableFuture<T> map(Function<Message.Response, T> convert) {
        Mapped<T> mapped = new Mapped<>(this);
        whenCompleteAsync((reply, error) -> {
            if (error != null) {
                mapped.completeExceptionally(error);
                return;
            }
            try {
                mapped.complete(convert.apply(reply));
            } catch (RuntimeException e) {
                mapped.completeExceptionally(e);
            }
        }, CONTINUATIONS);
        return mapped;
    }

    private static final class Mapped<T> extends CompletableFuture<T> {
        private final CallFuture source;

        Mapped(CallFuture source) {
            this.source = source;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            source.cancel(mayInterruptIfRunning);
            return cancelled;
        }
    }

    /** Fails the call with {@code errno} and flushes it, unless its reply came first. */
    void abort(Errno errno) {
        if (call != null) {
            mux.abort(call, errno);
        }
    }

    /**
     * Gives the pooled buffer the reply arrived in back to the connection, after {@link #await} returned and the
     * data has been copied out: the reply's data must not be touched any more. Does nothing if there is none.
     */
    void recycle() {
        if (call != null && call.pooled != null) {
            ByteBuffer pooled = call.pooled;
            call.pooled = null;
            mux.recycle(pooled);
        }
    }

    /**
     * Lets the data of a large Rread answering this call be read from the socket straight into {@code dst} (from
     * 0 to its capacity), but only by the current thread, while it reads replies itself in {@link #await} (see
     * {@link Landing}); null withdraws that. Call it from the thread that awaits the reply, before it awaits; the
     * reply's data is then {@code dst} itself when it landed there.
     */
    void landIn(ByteBuffer dst) {
        if (call != null) {
            call.sink = dst == null ? null : new PendingCall.Sink(Thread.currentThread(), dst);
        }
    }

    /**
     * Blocks for the reply. An interrupt flushes the request and fails with EINTR (the interrupt flag is kept);
     * Rlerror fails with ErrnoException carrying its exact number.
     */
    Message.Response await() throws IOException {
        if (mux != null) {
            mux.lead(this); // reads the reply in this thread when nobody else is reading
        }
        return awaited();
    }

    /**
     * {@link #await} for a reply of a transfer window of which {@code mine} requests are in flight (this one
     * included); {@code more}: another of them is awaited next (see {@link Multiplexer#leadTransfer}).
     */
    Message.Response awaitInTransfer(int mine, boolean more) throws IOException {
        if (mux != null) {
            mux.leadTransfer(this, mine, more);
        }
        return awaited();
    }

    private Message.Response awaited() throws IOException {
        try {
            return get();
        } catch (InterruptedException e) {
            abort(Errno.EINTR);
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, describe() + " interrupted; flushed");
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new ErrnoException(Errno.ECANCELED, describe() + " cancelled");
        }
    }

    private String describe() {
        return call == null ? "request" : call.request.getClass().getSimpleName();
    }

    /** The exception to throw in the waiting thread for a failure recorded by another thread. */
    static IOException rethrowable(Throwable cause) {
        return switch (cause) {
            case ErrnoException e -> e; // stackless and immutable: sharing it is fine
            case ConnectionClosedException e -> new ConnectionClosedException(e.getMessage(), e);
            case IOException e -> new IOException(e.getMessage(), e);
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> new IOException(cause);
        };
    }
}
