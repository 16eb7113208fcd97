// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the blocking reads or writes of a {@link FileChannel} on a platform thread of its own.
 *
 * <p>Why: a FileChannel on a pipe or a terminal blocks in read(2)/write(2). Called from a virtual thread that pins
 * the carrier, and worse, {@link FileChannel#close()} then waits for the call to finish, because the JDK can
 * signal a platform thread out of a blocking system call but not a virtual one: closing an fd connection whose
 * reader waits for input would hang. On a platform thread the close interrupts the call, and the virtual thread
 * that asked for the read just parks on a future.
 */
final class OffloadedChannel implements ReadableByteChannel, GatheringByteChannel {
    private final FileChannel channel;
    private final ExecutorService thread;

    OffloadedChannel(FileChannel channel, String threadName) {
        this.channel = channel;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(threadName).factory());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) run(() -> (long) channel.read(dst));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) run(() -> (long) channel.write(src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return run(() -> channel.write(srcs, offset, length));
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    private interface Io {
        long call() throws IOException;
    }

    private long run(Io io) throws IOException {
        Future<Long> result;
        try {
            result = thread.submit(io::call);
        } catch (RejectedExecutionException e) {
            throw new ClosedChannelException();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io2) {
                throw io2;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            // Like an interruptible NIO channel: an interrupted I/O closes the channel.
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted; channel closed");
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the channel, which interrupts a call in progress on the platform thread, then lets the thread end. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            thread.shutdown();
        }
    }
}
