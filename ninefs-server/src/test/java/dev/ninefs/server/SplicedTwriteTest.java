// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.WriteTarget;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.local.LocalOptions;
import dev.ninefs.fs.local.SecurityModel;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.transport.SocketDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A large Twrite to a local file has its data spliced from the socket into the file by the connection's reader
 * (socket -> pipe -> file): what had arrived goes through the file's descriptor, the rest never passes through
 * memory. The file must get exactly the frame's bytes, the answer must be write(2)'s, and the stream must stay in
 * step whatever the file or the client does.
 *
 * <p>Most tests send a frame in two parts and wait, between them, for the request to take the file's descriptor
 * ({@link Watched#lent}): the rest then cannot have arrived before the request diverted it, so it is spliced for
 * sure, and no byte goes through {@link OpenFile#write} ({@link Watched#copied}).
 */
@Timeout(60)
class SplicedTwriteTest {
    private static final int MSIZE = 1 << 20;
    private static final int BLOCK = MSIZE - IoRequests.IO_HEADER;
    /** The first part of a frame sent in two: the header and some data. */
    private static final int FIRST_PART = 100_000;

    @TempDir
    Path dir;
    private Watched fs;
    private TestServer server;
    private RawClient c;

    @BeforeEach
    void descriptorsAreVisible() {
        assertTrue(SocketDescriptor.available(), "tests run with --add-exports java.base/sun.nio.ch");
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void largeWritesAtOddOffsetsAndSizesLandByteExact(TestServer.Transport transport) throws Exception {
        serve(transport);
        create(1, "odd", Dotl.O_RDWR);
        long[][] writes = {{1, 200_001}, {3_000_007, BLOCK}, {333, 150_000}, {1_500_000, 524_287}, {7, BLOCK}};
        byte[] expected = new byte[3_000_007 + BLOCK];
        SplittableRandom random = new SplittableRandom(11);
        for (long[] w : writes) {
            byte[] data = bytes(random, (int) w[1]);
            assertEquals(data.length, inTwoParts(1, w[0], data));
            System.arraycopy(data, 0, expected, (int) w[0], data.length);
        }
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("odd")));
        assertEquals(0, fs.copied.get(), "every byte went around OpenFile.write");
    }

    /** Frames sent whole and back to back: spliced or not, each lands whole and in place. */
    @Test
    void backToBackWritesLandWhole() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "whole", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(5), 3 * BLOCK);
        for (int i = 0; i < 3; i++) {
            assertEquals(BLOCK, c.write(1, (long) i * BLOCK, Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK)));
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("whole")));
    }

    /**
     * The data trickles in: the reader (a virtual thread, which must not wait in a native call) meets an empty
     * socket again and again, reads what came through the JDK, and splices again when there is more; whether the
     * request runs on the reader ({@code quick}) or on a thread of its own that waits for the reader.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void dataArrivingInSlowPartsLandsWhole(boolean quick) throws Exception {
        serve(TestServer.Transport.TCP, quick);
        create(1, "slow", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(3), BLOCK);
        int tag = c.freshTag();
        ByteBuffer frame = RawClient.encode(tag, new Twrite(1, 5, ByteBuffer.wrap(data)));
        c.sendRaw(tag, frame.duplicate().limit(FIRST_PART));
        awaitLent();
        int part = 25_000;
        for (int at = FIRST_PART; at < frame.limit(); at += part) {
            c.sendRaw(frame.duplicate().position(at).limit(Math.min(at + part, frame.limit())));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the client is slow: the server runs dry
        }
        assertEquals(BLOCK, ((Rwrite) c.reply(tag)).count());
        byte[] file = Files.readAllBytes(dir.resolve("slow"));
        assertArrayEquals(data, Arrays.copyOfRange(file, 5, file.length));
        assertEquals(0, fs.copied.get());
    }

    /** The file takes no more past some size (EFBIG): a short count, and the rest of the frame is dropped. */
    @Test
    void aFileLimitInsideTheSplicedDataGivesAShortCountAndTheStreamStaysInStep() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "limited", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(13), BLOCK);
        long limit = 2L << 20;
        long offset = limit - 300_000; // the limit falls in the spliced part
        try (FileSizeLimit ignored = FileSizeLimit.of(limit)) {
            assertEquals(300_000, inTwoParts(1, offset, data));
            assertEquals(Errno.EFBIG, c.error(new Twrite(1, limit, ByteBuffer.wrap(data))), "nothing fits");
        }
        assertSteps(1, "limited", (int) limit);
        byte[] file = Files.readAllBytes(dir.resolve("limited"));
        assertArrayEquals(Arrays.copyOf(data, 300_000), Arrays.copyOfRange(file, (int) offset, (int) limit));
    }

    /** The limit falls in the bytes that had arrived before the splice: they are cut, the rest is dropped. */
    @Test
    void aFileLimitInsideTheArrivedPartGivesAShortCountAndTheStreamStaysInStep() throws Exception {
        serve(TestServer.Transport.UNIX);
        create(1, "early", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(17), BLOCK);
        long limit = 1L << 20;
        try (FileSizeLimit ignored = FileSizeLimit.of(limit)) {
            assertEquals(10, inTwoParts(1, limit - 10, data));
        }
        assertSteps(1, "early", (int) limit);
    }

    /** A fid opened for reading only: the file lends no descriptor, the write fails, the data is drained. */
    @Test
    void aFidOpenForReadingOnlyGetsEbadfAndTheStreamStaysInStep() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "ro", Dotl.O_RDWR);
        c.walk(0, 2, "ro");
        c.lopen(2, Dotl.O_RDONLY);
        byte[] data = bytes(new SplittableRandom(19), BLOCK);
        assertEquals(Errno.EBADF, c.error(new Twrite(2, 0, ByteBuffer.wrap(data))));
        assertEquals(0, fs.lentCount.get());
        assertSteps(1, "ro", 0);
    }

    /** Without a descriptor to splice into, the data comes into memory and goes through OpenFile.write. */
    @Test
    void withoutADescriptorTheDataIsWrittenAsItArrives() throws Exception {
        serve(TestServer.Transport.TCP);
        fs.lend = false;
        create(1, "copied", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(23), BLOCK);
        int tag = c.freshTag();
        ByteBuffer frame = RawClient.encode(tag, new Twrite(1, 0, ByteBuffer.wrap(data)));
        c.sendRaw(tag, frame.duplicate().limit(FIRST_PART));
        c.sendRaw(frame.position(FIRST_PART));
        assertEquals(BLOCK, ((Rwrite) c.reply(tag)).count());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("copied")));
        assertEquals(BLOCK, fs.copied.get());
    }

    /** A Tflush right behind the frame: the write is done by then, so it is answered, and Rflush after it. */
    @Test
    void aFlushRightBehindASplicedTwriteComesAfterItsReply() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "flushed", Dotl.O_RDWR);
        c.skipArrivals(4); // Rversion, Rattach, Rwalk, Rlcreate
        byte[] data = bytes(new SplittableRandom(29), BLOCK);
        int tag = c.freshTag();
        ByteBuffer frame = RawClient.encode(tag, new Twrite(1, 0, ByteBuffer.wrap(data)));
        c.sendRaw(tag, frame.duplicate().limit(FIRST_PART));
        awaitLent();
        int flushTag = c.freshTag();
        c.sendRaw(flushTag, join(frame.position(FIRST_PART), RawClient.encode(flushTag, new Tflush(tag))));
        assertEquals(BLOCK, c.expectArrival(tag, Rwrite.class).count());
        c.expectArrival(flushTag, Rflush.class);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("flushed")));
    }

    /**
     * The client goes away inside a frame whose rest is being spliced: the request ends, the server closes
     * without waiting for bytes that will never come, and the file holds a prefix of what was sent.
     */
    @Test
    void theConnectionLostInsideTheSplicedDataEndsTheRequest() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "cut", Dotl.O_RDWR);
        byte[] data = bytes(new SplittableRandom(31), BLOCK);
        ByteBuffer frame = RawClient.encode(c.freshTag(), new Twrite(1, 0, ByteBuffer.wrap(data)));
        c.sendRaw(frame.duplicate().limit(FIRST_PART));
        awaitLent();
        c.sendRaw(frame.duplicate().position(FIRST_PART).limit(300_000));
        c.close();
        c = null;
        server.close(); // waits for the session's requests: it would hang if one still waited for its data
        server = null;
        byte[] file = Files.readAllBytes(dir.resolve("cut"));
        assertTrue(file.length <= 300_000, "at most what arrived was written, not " + file.length);
        assertArrayEquals(Arrays.copyOf(data, file.length), file);
    }

    /**
     * A client that waits for each reply gets a platform reader, and its lone large Twrite runs there: the reader
     * waits inside splice(2) for the rest of the data. A client that stalls mid-frame, its connection still open,
     * must not hold up the server's close: shutting the input down wakes the splice.
     */
    @Test
    void closingTheServerWakesAPlatformReaderWaitingInsideASplice() throws Exception {
        serve(TestServer.Transport.TCP);
        create(1, "stalled", Dotl.O_RDWR);
        for (int i = 0; i < 2 * SessionReader.TO_PLATFORM; i++) {
            c.getattr(1); // lone requests: the reading moves to a platform thread
        }
        byte[] data = bytes(new SplittableRandom(43), BLOCK);
        assertEquals(BLOCK, inTwoParts(1, 0, data));
        ByteBuffer frame = RawClient.encode(c.freshTag(), new Twrite(1, BLOCK, ByteBuffer.wrap(data)));
        c.sendRaw(frame.duplicate().limit(FIRST_PART));
        awaitLent();
        Thread splicing = fs.lentTo;
        assertTrue(splicing != null && !splicing.isVirtual(), "a platform reader took the descriptor: " + splicing);
        Thread.sleep(200); // it splices what came and waits for more, in poll(2)
        TestServer closing = server;
        server = null;
        // The client stays connected and silent; a close that waited for it would never return.
        CompletableFuture.runAsync(() -> {
            try {
                closing.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor()).get(10, TimeUnit.SECONDS);
        byte[] file = Files.readAllBytes(dir.resolve("stalled"));
        assertTrue(file.length <= BLOCK + FIRST_PART, "at most what arrived was written, not " + file.length);
        assertArrayEquals(data, Arrays.copyOf(file, BLOCK));
    }

    /** The pipe the reader splices through is made on the first large write and closed with the connection. */
    @Test
    void theSplicePipeComesWithTheFirstLargeWriteAndGoesWithTheConnection() throws Exception {
        long before = pipes();
        serve(TestServer.Transport.TCP);
        create(1, "pipes", Dotl.O_RDWR);
        c.write(1, 0, new byte[4096]);
        assertEquals(before, pipes(), "a connection without large writes has no pipe");
        inTwoParts(1, 0, bytes(new SplittableRandom(37), BLOCK));
        inTwoParts(1, BLOCK, bytes(new SplittableRandom(41), BLOCK));
        assertEquals(before + 2, pipes(), "one pipe, both ends, for the connection");
        c.close();
        c = null;
        server.close(); // waits for the session's end
        server = null;
        assertEquals(before, pipes());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void serve(TestServer.Transport transport) throws Exception {
        serve(transport, true);
    }

    private void serve(TestServer.Transport transport, boolean quick) throws Exception {
        fs = new Watched(LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH)), quick);
        server = TestServer.start(NinefsServer.builder().export("", fs).build(), transport);
        c = server.client(MSIZE);
        c.attach(0, "");
    }

    private void create(int fid, String name, int flags) throws Exception {
        c.walk(0, fid);
        c.ok(new Tlcreate(fid, name, flags, 0644, 0), Rlcreate.class);
    }

    /** Sends a Twrite in two parts, the second once the request took the file's descriptor; its count. */
    private int inTwoParts(int fid, long offset, byte[] data) throws Exception {
        int tag = c.freshTag();
        ByteBuffer frame = RawClient.encode(tag, new Twrite(fid, offset, ByteBuffer.wrap(data)));
        c.sendRaw(tag, frame.duplicate().limit(FIRST_PART));
        awaitLent();
        c.sendRaw(frame.position(FIRST_PART));
        return ((Rwrite) c.reply(tag)).count();
    }

    private void awaitLent() throws InterruptedException {
        assertTrue(fs.lent.tryAcquire(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS), "no descriptor lent");
    }

    /** The connection goes on after the test's frame: a getattr, and a small write that lands. */
    private void assertSteps(int fid, String name, int sizeBefore) throws Exception {
        assertInstanceOf(Rgetattr.class, c.getattr(fid));
        assertEquals(3, c.write(fid, 0, new byte[] {1, 2, 3}));
        byte[] file = Files.readAllBytes(dir.resolve(name));
        assertEquals(Math.max(sizeBefore, 3), file.length);
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(file, 3));
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static ByteBuffer join(ByteBuffer a, ByteBuffer b) {
        return ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
    }

    /** Pipes this process holds open, both ends counted. */
    private static long pipes() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException e) {
                    return false; // the listing's own descriptor, gone already
                }
            }).count();
        }
    }

    /**
     * The local export, counting the bytes that go through {@link OpenFile#write} and the descriptors lent for
     * writing; {@link #lend} false makes it lend none.
     */
    static final class Watched extends ForwardingFileSystem {
        final AtomicLong copied = new AtomicLong();
        final AtomicLong lentCount = new AtomicLong();
        final Semaphore lent = new Semaphore(0);
        volatile boolean lend = true;
        /** The thread the latest descriptor was lent to. */
        volatile Thread lentTo;

        private final boolean quick;

        /** {@code quick}: as the local backend, a lone request runs on the reader; else on a thread of its own. */
        Watched(FileSystem delegate, boolean quick) {
            super(delegate);
            this.quick = quick;
        }

        @Override
        public boolean quickCalls() {
            return quick;
        }

        @Override
        protected Node wrap(Node root) {
            return new WatchedNode(root);
        }

        private final class WatchedNode extends ForwardingNode {
            WatchedNode(Node delegate) {
                super(delegate);
            }

            @Override
            protected Node wrap(Node node) {
                return new WatchedNode(node);
            }

            @Override
            protected OpenFile wrap(OpenFile file) {
                return new ForwardingOpenFile(file) {
                    @Override
                    public int write(long offset, ByteBuffer src) throws ErrnoException {
                        int n = super.write(offset, src);
                        copied.addAndGet(n);
                        return n;
                    }

                    @Override
                    public WriteTarget writeTarget() throws ErrnoException {
                        WriteTarget target = lend ? super.writeTarget() : null;
                        if (target != null) {
                            lentTo = Thread.currentThread();
                            lentCount.incrementAndGet();
                            lent.release();
                        }
                        return target;
                    }
                };
            }
        }
    }
}
