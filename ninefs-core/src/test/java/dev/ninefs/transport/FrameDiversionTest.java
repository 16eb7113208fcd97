// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rest of a large Twrite diverted to a {@link FrameFill.Sink}: the reader hands the socket's descriptor to the
 * sink, whatever thread reads (virtual, platform, the request's own), sends exactly the frame's bytes there, and the
 * next frame follows intact. The sink here reads the socket with read(2) into memory, standing in for the server's
 * splice into a file.
 */
@Timeout(30)
class FrameDiversionTest {
    private static final int SIZE = 1 << 20;
    private static final int DATA = SIZE - 23;

    private Listener listener;
    private FrameChannel near;
    private FrameChannel far;

    @BeforeEach
    void connect() throws Exception {
        assertTrue(SocketDescriptor.available(), "tests run with --add-exports java.base/sun.nio.ch");
        listener = Endpoint.parse("tcp://127.0.0.1:0").listen();
        far = listener.endpoint().connect();
        near = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        far.close();
        near.close();
        listener.close();
    }

    @Test
    void theRestGoesToTheSinkExactlyAndTheNextFrameFollows() throws Exception {
        byte[] data = random(1, DATA);
        far.write(twrite(1, data), clunk(2));
        MemorySink sink = new MemorySink();
        CompletableFuture<Boolean> diverted = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                ByteBuffer frame = near.readFrame(SIZE);
                FrameFill fill = assertEarly(frame);
                Thread.ofVirtual().start(() -> diverted.complete(divert(fill, frame, sink)));
                assertInstanceOf(Message.Tclunk.class, Codec.decode(near.readFrame(SIZE)).message());
                assertFalse(near.inputWaiting(), "the spliced bytes are counted as read");
            } catch (IOException e) {
                diverted.completeExceptionally(e);
            }
        });
        assertTrue(diverted.get(10, TimeUnit.SECONDS));
        reader.join();
        assertArrayEquals(data, sink.got);
        assertTrue(sink.spliced > 0, "spliced " + sink.spliced);
    }

    /** A request run on a platform reader thread diverts its own frame: the sink may wait there for bytes. */
    @Test
    void aRequestOnAPlatformReaderWaitsInTheSinkForSlowBytes() throws Exception {
        byte[] data = random(2, DATA);
        ByteBuffer frame = twrite(1, data);
        far.write(frame.duplicate().limit(200_000));
        MemorySink sink = new MemorySink();
        CompletableFuture<Boolean> diverted = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                ByteBuffer f = near.readFrame(SIZE);
                diverted.complete(divert(assertEarly(f), f, sink)); // on the reader: it fills the rest itself
            } catch (IOException | RuntimeException e) {
                diverted.completeExceptionally(e);
            }
        });
        sendSlowly(frame.position(200_000));
        assertTrue(diverted.get(10, TimeUnit.SECONDS));
        assertArrayEquals(data, sink.got);
        assertEquals(Set.of(true), sink.waits, "a platform thread may wait");
        assertFalse(sink.threads.iterator().next().isVirtual());
    }

    /**
     * A request run on a virtual reader thread diverts its own frame: the reader never waits in the sink, and when
     * the socket runs dry the next bytes come through the JDK, which parks the thread.
     */
    @Test
    void aVirtualReaderTakesWhatTheSocketHasAndReadsTheRestThroughMemory() throws Exception {
        byte[] data = random(3, DATA);
        ByteBuffer frame = twrite(1, data);
        far.write(frame.duplicate().limit(200_000));
        MemorySink sink = new MemorySink();
        CompletableFuture<Boolean> diverted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                ByteBuffer f = near.readFrame(SIZE);
                diverted.complete(divert(assertEarly(f), f, sink)); // on the reader: it fills the rest itself
            } catch (IOException | RuntimeException e) {
                diverted.completeExceptionally(e);
            }
        });
        int parts = 0;
        for (ByteBuffer rest = frame.position(200_000); rest.hasRemaining(); parts++) {
            int dry = parts;
            await(() -> sink.empty > dry); // the reader found the socket dry, and reads through the JDK
            int end = Math.min(rest.limit(), rest.position() + 100_000);
            far.write(rest.duplicate().limit(end));
            rest.position(end);
        }
        assertTrue(diverted.get(10, TimeUnit.SECONDS));
        assertArrayEquals(data, sink.got);
        assertEquals(Set.of(false), sink.waits, "a virtual thread never waits in a native call");
        assertTrue(sink.writes > parts / 2, "what came while the socket was dry went through memory: "
                + sink.writes + " of " + parts);
    }

    /** Closing the channel wakes a platform reader waiting in the sink for bytes that will not come. */
    @Test
    void closingTheChannelWakesAReaderWaitingInTheSink() throws Exception {
        ByteBuffer frame = twrite(1, random(4, DATA));
        far.write(frame.limit(300_000));
        MemorySink sink = new MemorySink();
        CompletableFuture<Boolean> diverted = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                ByteBuffer f = near.readFrame(SIZE);
                diverted.complete(divert(assertEarly(f), f, sink));
            } catch (IOException | RuntimeException e) {
                diverted.completeExceptionally(e);
            }
        });
        await(() -> sink.total() >= 300_000 - 23); // the sink has all that was sent, and waits for more
        near.close();
        reader.join();
        assertTrue(diverted.isCompletedExceptionally());
    }

    /** A sink that stops (its file failed) takes nothing more: the rest is read and dropped, in step. */
    @Test
    void aStoppedSinkLetsTheRestBeDroppedAndTheStreamStaysInStep() throws Exception {
        byte[] data = random(5, DATA);
        ByteBuffer frame = twrite(1, data);
        far.write(frame.duplicate().limit(100_000));
        MemorySink sink = new MemorySink();
        sink.stopAfterFirstSplice = true;
        CompletableFuture<Boolean> diverted = new CompletableFuture<>();
        CompletableFuture<Message> next = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                ByteBuffer f = near.readFrame(SIZE);
                FrameFill fill = assertEarly(f);
                Thread.ofVirtual().start(() -> diverted.complete(divert(fill, f, sink)));
                next.complete(Codec.decode(near.readFrame(SIZE)).message());
            } catch (IOException e) {
                next.completeExceptionally(e);
            }
        });
        sendSlowly(frame.position(100_000));
        far.write(clunk(7));
        assertTrue(diverted.get(10, TimeUnit.SECONDS));
        assertEquals(7, assertInstanceOf(Message.Tclunk.class, next.get(10, TimeUnit.SECONDS)).fid());
        int kept = sink.total();
        assertTrue(kept < DATA, "the sink took no more once stopped: " + kept);
        assertArrayEquals(Arrays.copyOf(data, kept), Arrays.copyOf(sink.got, kept));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Spins until {@code condition} holds; fails after 10 seconds. */
    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.onSpinWait();
        }
    }

    private static FrameFill assertEarly(ByteBuffer frame) {
        FrameFill fill = FrameBuffers.fillOf(frame);
        assertNotNull(fill, "a large Twrite is handed out before its data is in");
        return fill;
    }

    private static boolean divert(FrameFill fill, ByteBuffer frame, FrameFill.Sink sink) {
        try {
            Frame f = Codec.decode(frame.duplicate());
            return fill.divert(((Message.Twrite) f.message()).data(), sink);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rest of a frame in 20 parts, 2 ms apart: the reader finds the socket empty in between. */
    private void sendSlowly(ByteBuffer rest) throws IOException {
        int part = rest.remaining() / 20 + 1;
        while (rest.hasRemaining()) {
            far.write(rest.duplicate().limit(Math.min(rest.limit(), rest.position() + part)));
            rest.position(Math.min(rest.limit(), rest.position() + part));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static ByteBuffer twrite(int fid, byte[] data) {
        return encode(new Message.Twrite(fid, 0, ByteBuffer.wrap(data)));
    }

    private static ByteBuffer clunk(int fid) {
        return encode(new Message.Tclunk(fid));
    }

    private static ByteBuffer encode(Message.Request m) {
        ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(1, m, out);
        return out.flip();
    }

    private static byte[] random(int seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Takes the bytes with read(2) on the socket's descriptor, into memory at their offset in the data. */
    private static final class MemorySink implements FrameFill.Sink {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final MethodHandle READ = downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        private static final MethodHandle POLL = downcall("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        private static final int EINTR = 4, EAGAIN = 11;

        final byte[] got = new byte[DATA];
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final Set<Boolean> waits = ConcurrentHashMap.newKeySet();
        volatile boolean stopAfterFirstSplice;
        volatile boolean stopped;
        volatile int spliced;
        volatile int empty;
        volatile int writes;
        private volatile int high;

        @SuppressWarnings("restricted")
        private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                    Linker.Option.captureCallState("errno"));
        }

        @Override
        public long splice(int socket, long at, int max, boolean wait) throws IOException {
            threads.add(Thread.currentThread());
            waits.add(wait);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                MemorySegment buffer = arena.allocate(max);
                while (true) {
                    long n = (long) READ.invokeExact(state, socket, buffer, (long) max);
                    if (n > 0) {
                        MemorySegment.copy(buffer, JAVA_BYTE, 0, got, (int) at, (int) n);
                        high = (int) Math.max(high, at + n);
                        spliced++;
                        stopped |= stopAfterFirstSplice;
                        return n;
                    }
                    if (n == 0) {
                        return -1;
                    }
                    int errno = (int) ERRNO.get(state, 0L);
                    if (errno == EINTR) {
                        continue;
                    }
                    if (errno != EAGAIN) {
                        throw new IOException("read: errno " + errno);
                    }
                    if (!wait) {
                        empty++;
                        return 0;
                    }
                    MemorySegment pollfd = arena.allocate(8, 4);
                    pollfd.set(JAVA_INT, 0, socket);
                    pollfd.set(JAVA_SHORT, 4, (short) 1); // POLLIN
                    int r = (int) POLL.invokeExact(state, pollfd, 1L, -1);
                    if (r < 0 && (int) ERRNO.get(state, 0L) != EINTR) {
                        throw new IOException("poll failed");
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        @Override
        public void write(long at, ByteBuffer bytes) {
            writes++;
            int n = bytes.remaining();
            bytes.get(got, (int) at, n);
            high = (int) Math.max(high, at + n);
        }

        @Override
        public boolean stopped() {
            return stopped;
        }

        /** The bytes the sink has, from the data's first. */
        int total() {
            return high;
        }
    }
}
