// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every transport must do; one subclass per transport supplies a connected pair of channels. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class FrameChannelContract {
    private static final int MAX = 2 << 20;

    /** Two connected ends, and whatever else must be closed with them. */
    record Pair(FrameChannel near, FrameChannel far, AutoCloseable rest) {}

    abstract Pair connect() throws Throwable;

    private Pair pair;

    @BeforeEach
    void open() throws Throwable {
        pair = connect();
    }

    @AfterEach
    void close() throws Exception {
        try (var rest = pair.rest(); var far = pair.far(); var near = pair.near()) {
            // all three closed, whatever fails
            assertTrue(rest != null && far != null && near != null);
        }
    }

    /** Whether the near end tells that bytes arrived without reading them ({@link FrameChannel#pollInput}). */
    boolean tellsArrivals() {
        return false;
    }

    /** Whether the near end knows exactly whether bytes past its last frame wait ({@link FrameChannel#inputWaiting}). */
    boolean countsInput() {
        return false;
    }

    /**
     * The server's reader asks these between frames: whether the client sent more (a request then gets a thread of
     * its own) and, polling before it sleeps, whether bytes arrived. A channel that cannot tell says so safely.
     */
    @Test
    @Timeout(10)
    void theNearEndTellsWhetherMoreInputArrived() throws Exception {
        FrameChannel near = pair.near();
        assertFalse(near.pollInput());
        pair.far().write(encode(1, new Message.Tclunk(1)), encode(2, new Message.Tclunk(2)));
        if (tellsArrivals()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!near.pollInput()) {
                assertTrue(System.nanoTime() < deadline, "the bytes never showed");
                Thread.onSpinWait();
            }
        }
        assertEquals(new Frame(1, new Message.Tclunk(1)), Codec.decode(near.readFrame(MAX)));
        if (countsInput()) {
            assertTrue(near.inputWaiting(), "the second frame came in with the first");
        }
        assertEquals(new Frame(2, new Message.Tclunk(2)), Codec.decode(near.readFrame(MAX)));
        if (countsInput()) {
            assertFalse(near.inputWaiting());
        }
        assertFalse(near.pollInput());
    }

    private static ByteBuffer encode(int tag, Message m) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(tag, m, b);
        return b.flip();
    }

    private static ByteBuffer rawSize(int size) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, size);
    }

    @Test
    void framesFlowBothWaysWhole() throws Exception {
        byte[] big = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(big);
        List<Message> messages = List.of(new Message.Tversion(MAX, "9P2000.L"), new Message.Rclunk(),
                new Message.Rread(ByteBuffer.wrap(big)), new Message.Twalk(1, 2, List.of("a", "b")));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < messages.size(); i++) {
                    pair.near().write(encode(i, messages.get(i)));
                }
                return null;
            });
            for (int i = 0; i < messages.size(); i++) {
                ByteBuffer f = pair.far().readFrame(MAX);
                assertEquals(0, f.position());
                assertEquals(new Frame(i, messages.get(i)), Codec.decode(f));
            }
            writer.get();
        }
        Message reply = new Message.Rversion(8192, "9P2000.L");
        pair.far().write(encode(Message.NOTAG, reply));
        assertEquals(new Frame(Message.NOTAG, reply), Codec.decode(pair.near().readFrame(MAX)));
    }

    @Test
    void gatheringWriteOfHeadAndPayloadArrivesAsOneFrame() throws Exception {
        Message.Rread r = new Message.Rread(ByteBuffer.wrap(new byte[100_000]).position(5));
        ByteBuffer head = ByteBuffer.allocate(Codec.HEADER_SIZE + 4);
        Codec.encodeWithoutPayload(9, r, head);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = pool.submit(() -> {
                pair.near().write(head.flip(), Codec.payload(r).duplicate());
                return null;
            });
            assertEquals(new Frame(9, r), Codec.decode(pair.far().readFrame(MAX)));
            writer.get();
        }
    }

    @Test
    void concurrentWritersNeverInterleaveFrames() throws Exception {
        int writers = 16;
        int perWriter = 48;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(writer);
                    start.await();
                    for (int seq = 0; seq < perWriter; seq++) {
                        byte[] data = new byte[random.nextInt(1, 100_000)];
                        java.util.Arrays.fill(data, (byte) (writer * 31 + seq));
                        Message.Rread r = new Message.Rread(ByteBuffer.wrap(data));
                        ByteBuffer head = ByteBuffer.allocate(Codec.HEADER_SIZE + 4);
                        Codec.encodeWithoutPayload(writer, r, head);
                        int half = data.length / 2; // three buffers, so a torn writev would show
                        pair.far().write(head.flip(), ByteBuffer.wrap(data, 0, half),
                                ByteBuffer.wrap(data, half, data.length - half));
                    }
                    return null;
                }));
            }
            start.countDown();
            int[] next = new int[writers];
            try {
                for (int i = 0; i < writers * perWriter; i++) {
                    Frame f = Codec.decode(pair.near().readFrame(MAX));
                    int writer = f.tag();
                    ByteBuffer data = ((Message.Rread) f.message()).data();
                    byte expect = (byte) (writer * 31 + next[writer]++);
                    while (data.hasRemaining()) {
                        assertEquals(expect, data.get(), "frame " + i + " from writer " + writer + " is torn");
                    }
                }
            } catch (Throwable t) {
                pair.far().close(); // let blocked writers fail instead of waiting for the timeout
                throw t;
            }
            for (Future<?> d : done) {
                d.get();
            }
            for (int n : next) {
                assertEquals(perWriter, n);
            }
        }
    }

    @Test
    void oversizeFrameIsRejectedWithoutAllocatingIt() throws Exception {
        pair.far().write(rawSize(0x7fff_fff0), ByteBuffer.allocate(64));
        AllocationMeter meter = new AllocationMeter();
        long before = meter.bytes();
        ProtocolException e = assertThrows(ProtocolException.class, () -> pair.near().readFrame(8192));
        long allocated = meter.bytes() - before;
        assertTrue(allocated < (1 << 20), "allocated " + allocated + " bytes for a 2 GiB size field");
        assertEquals(ProtocolException.NO_TAG, e.tag());
    }

    @Test
    void frameAboveTheNegotiatedSizeIsRejected() throws Exception {
        pair.far().write(encode(1, new Message.Rread(ByteBuffer.allocate(8192))));
        assertThrows(ProtocolException.class, () -> pair.near().readFrame(8192));
    }

    @Test
    void sizeBelowTheHeaderIsRejected() throws Exception {
        pair.far().write(rawSize(6), ByteBuffer.allocate(2));
        assertThrows(ProtocolException.class, () -> pair.near().readFrame(8192));
    }

    @Test
    void endOfStreamInsideTheSizeFieldIsAProtocolException() throws Exception {
        pair.far().write(ByteBuffer.wrap(new byte[] {20, 0}));
        pair.far().close();
        assertThrows(ProtocolException.class, () -> pair.near().readFrame(8192));
    }

    @Test
    void endOfStreamInsideTheBodyIsAProtocolException() throws Exception {
        ByteBuffer whole = encode(1, new Message.Rread(ByteBuffer.allocate(30_000)));
        pair.far().write(whole.limit(whole.limit() - 1));
        pair.far().close();
        assertThrows(ProtocolException.class, () -> pair.near().readFrame(MAX));
    }

    @Test
    void endOfStreamBetweenFramesIsNull() throws Exception {
        pair.far().write(encode(1, new Message.Rclunk()));
        pair.far().close();
        assertEquals(new Frame(1, new Message.Rclunk()), Codec.decode(pair.near().readFrame(8192)));
        assertNull(pair.near().readFrame(8192));
        assertNull(pair.near().readFrame(8192), "and stays at the end");
    }

    @Test
    void closingTheChannelEndsABlockedReaderCleanly() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch reading = new CountDownLatch(1);
            Future<ByteBuffer> reader = pool.submit(() -> {
                reading.countDown();
                return pair.near().readFrame(8192);
            });
            reading.await();
            // The reader may not be inside read(2) yet: closing first must give the same answer.
            pair.near().close();
            assertNull(reader.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void peerIsDescribed() {
        assertTrue(!pair.near().peer().isEmpty() && !pair.far().peer().isEmpty());
    }
}
