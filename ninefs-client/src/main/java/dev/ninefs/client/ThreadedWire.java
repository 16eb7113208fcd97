// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The wire for any {@link FrameChannel} (file descriptors, test doubles): callers queue their frames and one virtual
 * writer thread sends whatever is queued in one gathering write, so a thread that is interrupted never touches the
 * channel (an interrupt closes an interruptible channel for everyone). One virtual reader thread hands each reply to
 * the multiplexer.
 */
final class ThreadedWire implements Wire {
    private static final int WRITE_BATCH = 64;

    private final FrameChannel channel;
    private final Multiplexer mux;
    private final LinkedBlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Thread writer;

    ThreadedWire(FrameChannel channel, Multiplexer mux) {
        this.channel = channel;
        this.mux = mux;
        this.reader = Thread.ofVirtual().name("9p-reader " + channel.peer()).unstarted(this::readLoop);
        this.writer = Thread.ofVirtual().name("9p-writer " + channel.peer()).unstarted(this::writeLoop);
    }

    @Override
    public void start() {
        reader.start();
        writer.start();
    }

    @Override
    public void send(ByteBuffer[] buffers, boolean borrowed, boolean now, boolean mayWait) {
        outbox.add(buffers.length == 1 ? buffers[0] : Wire.copy(buffers, 0));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all we wanted; the multiplexer knows why.
        }
        writer.interrupt();
    }

    @Override
    public String peer() {
        return channel.peer();
    }

    private void readLoop() {
        try {
            while (true) {
                ByteBuffer frame = channel.readFrame(mux.msize());
                if (frame == null) {
                    mux.fail(new ConnectionClosedException("server " + peer() + " closed the connection"));
                    return;
                }
                mux.dispatch(Codec.decode(frame), null);
            }
        } catch (ProtocolException e) {
            mux.fail(Multiplexer.brokeProtocol(peer(), e));
        } catch (IOException | RuntimeException e) {
            mux.fail(new ConnectionClosedException("connection to " + peer() + " failed: " + e, e));
        }
    }

    private void writeLoop() {
        List<ByteBuffer> batch = new ArrayList<>(WRITE_BATCH);
        try {
            while (true) {
                batch.add(outbox.take());
                // Callers that are ready to run queue their requests first, so that one write carries them all (the
                // server then reads them in one system call too); with nothing else to run this returns at once.
                Thread.yield();
                outbox.drainTo(batch, WRITE_BATCH - 1);
                channel.write(batch.toArray(ByteBuffer[]::new));
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close() interrupts us once the connection is closed.
        } catch (IOException | RuntimeException e) {
            mux.fail(new ConnectionClosedException("writing to " + peer() + " failed: " + e, e));
        }
    }
}
