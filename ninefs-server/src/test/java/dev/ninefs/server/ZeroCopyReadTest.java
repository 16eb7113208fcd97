// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.FileRegion;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.local.LocalOptions;
import dev.ninefs.fs.local.SecurityModel;
import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.transport.Endpoint;
import dev.ninefs.transport.StreamFrameChannel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large Rreads of a local file go from the file into the socket with sendfile ({@link ZeroCopyReads}): the bytes
 * must be the file's, at every offset and around its end, over TCP and Unix sockets, on virtual and platform
 * threads, when the socket fills up, when the file shrinks after the reply's count was fixed, behind a Tflush,
 * and on the copying path (pipes, or sendfile turned off).
 */
@Timeout(120)
class ZeroCopyReadTest {
    private static final int MSIZE = 1 << 20;
    /** The most one Tread asks for: what the client library's reads are cut to (msize minus a Twrite header). */
    private static final int MAX_READ = MSIZE - IoRequests.IO_HEADER;
    private static final int SIZE = (3 << 20) + 4321;

    @TempDir
    Path dir;
    private byte[] content;
    private NinefsServer server;
    private Endpoint bound;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        ZeroCopyReads.sendfile = true;
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void largeReadsAreTheFilesBytesAtEveryOffsetAndAroundTheEnd(TestServer.Transport transport) throws Exception {
        RemoteFile f = open(connect(serve(local(), transport)), "data");
        long sent = ZeroCopyReads.SENT.sum();
        long[] offsets = {0, 1, 4095, 65536, 1 << 20, SIZE - MAX_READ, SIZE - 70000, SIZE - 65536, SIZE - 65535,
            SIZE - 1, SIZE, SIZE + 10};
        int[] counts = {ZeroCopyReads.MIN_COUNT - 1, ZeroCopyReads.MIN_COUNT, ZeroCopyReads.MIN_COUNT + 1, 200_001,
            MAX_READ};
        for (long offset : offsets) {
            for (int count : counts) {
                assertArrayEquals(expected(offset, count), read(f, offset, count), offset + "+" + count);
            }
        }
        assertTrue(ZeroCopyReads.SENT.sum() > sent, "sendfile was used");
        f.close();
        assertNoDescriptorLeft();
    }

    /** The copying path: the server's end is a pair of pipes, which have no socket to sendfile into. */
    @Test
    void overPipesTheBytesAreCopiedAndTheSame() throws Exception {
        server = NinefsServer.builder().export("", local()).build();
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        server.serve(StreamFrameChannel.of(toServer.source(), toClient.sink(), "pipes"));
        Connection c = Connection.open(StreamFrameChannel.of(toClient.source(), toServer.sink(), "pipes"),
                options());
        closing.add(c);
        RemoteFile f = open(c, "data");
        long copied = ZeroCopyReads.COPIED.sum();
        long sent = ZeroCopyReads.SENT.sum();
        for (long offset : new long[] {0, 12345, SIZE - 100_000, SIZE - 1}) {
            assertArrayEquals(expected(offset, MAX_READ), read(f, offset, MAX_READ), "at " + offset);
        }
        assertTrue(ZeroCopyReads.COPIED.sum() > copied, "copied");
        assertEquals(sent, ZeroCopyReads.SENT.sum(), "nothing sent with sendfile over pipes");
    }

    /**
     * The file shrinks between the reply's count (fixed when the request ran) and its sending: the missing bytes
     * are zeros, the reply keeps its length, and the next request on the connection is answered.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFileThatShrinksBeforeItsBytesAreSentIsMadeUpWithZeros(boolean sendfile) throws Exception {
        int shrunk = (1 << 20) + 1000;
        ShrinkingFileSystem shrinking = new ShrinkingFileSystem(local(), dir.resolve("data"));
        RemoteFile f = open(connect(serve(shrinking, TestServer.Transport.TCP)), "data");
        // A copied read first, so that the pooled buffer the next reply may copy through holds the file's bytes.
        ZeroCopyReads.sendfile = false;
        assertArrayEquals(expected(0, MAX_READ), read(f, 0, MAX_READ));
        ZeroCopyReads.sendfile = sendfile;
        shrinking.size = shrunk;
        long offset = 1 << 19;
        byte[] got = read(f, offset, MAX_READ);
        assertEquals(MAX_READ, got.length, "the count fixed before the file shrank");
        byte[] want = new byte[MAX_READ];
        System.arraycopy(content, (int) offset, want, 0, (int) (shrunk - offset));
        assertArrayEquals(want, got);
        assertEquals(shrunk, f.getattr().size(), "the connection goes on");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), read(f, 1000, 1000));
        f.close();
        assertNoDescriptorLeft();
    }

    /**
     * Clients that send large reads and read nothing fill their sockets; their replies' writers park (a virtual
     * thread copies a piece through the JDK, which waits for room without holding a carrier), so more of them than
     * there are carriers stall nobody else. Once they read, every reply arrives whole and in step.
     */
    @Test
    void clientsThatStopReadingStallNoOtherConnection() throws Exception {
        serve(local(), TestServer.Transport.TCP);
        int stalled = Runtime.getRuntime().availableProcessors() + 2;
        int reads = 12;
        long pieces = ZeroCopyReads.PIECES.sum();
        List<SlowClient> slow = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            SlowClient s = new SlowClient(endpoint());
            closing.add(s);
            slow.add(s);
            for (int r = 0; r < reads; r++) {
                s.send(r + 10, new Tread(1, (long) r * 200_000, MAX_READ));
            }
        }
        RemoteFile f = open(connect(endpoint()), "data");
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(expected((long) i * 300_000, MAX_READ), read(f, (long) i * 300_000, MAX_READ));
        }
        for (SlowClient s : slow) {
            for (int i = 0; i < reads; i++) {
                Frame reply = s.next(); // in any order: the reads ran side by side
                int r = reply.tag() - 10;
                assertArrayEquals(expected((long) r * 200_000, MAX_READ), bytes(assertInstanceOf(Rread.class,
                        reply.message()).data()), "reply " + r);
            }
        }
        assertTrue(ZeroCopyReads.PIECES.sum() > pieces, "a full socket met a virtual thread");
    }

    /**
     * A client that waits for each reply has its requests run on the connection's reader, which writes their
     * replies itself: on a virtual reader first, then on a platform one ({@link SessionReader}). A 1 MiB reply does
     * not fit in a Unix socket's buffer, so while the client reads nothing the socket fills up: the virtual thread
     * copies a piece through the JDK (and parks), the platform thread polls. Either way the reply then arrives
     * whole once the client reads.
     */
    @Test
    void aFullSocketParksAVirtualReaderAndPollsOnAPlatformOne() throws Exception {
        serve(local(), TestServer.Transport.UNIX);
        try (SlowClient s = new SlowClient(endpoint())) {
            readAfterTheSocketFilled(s, 0, ZeroCopyReads.PIECES);
            for (int i = 0; i < SessionReader.TO_PLATFORM; i++) {
                s.send(i + 1, new Tgetattr(1, Dotl.GETATTR_ALL));
                assertInstanceOf(Rgetattr.class, s.next().message());
            }
            readAfterTheSocketFilled(s, 1, ZeroCopyReads.POLLS);
            readAfterTheSocketFilled(s, 2, ZeroCopyReads.POLLS);
        }
    }

    /** Sends a large read, reads nothing until {@code full} counts the writer meeting a full socket, then checks. */
    private void readAfterTheSocketFilled(SlowClient s, int r, LongAdder full) throws Exception {
        long before = full.sum();
        long offset = (long) r * 100_000;
        s.send(100 + r, new Tread(1, offset, MAX_READ));
        while (full.sum() == before) {
            Thread.onSpinWait(); // the writer gets there as soon as the socket is full (the test's timeout bounds it)
        }
        Frame reply = s.next();
        assertEquals(100 + r, reply.tag());
        assertArrayEquals(expected(offset, MAX_READ), bytes(assertInstanceOf(Rread.class, reply.message()).data()));
    }

    /** A Tflush right behind a large read: the read is answered whole before the Rflush, or not at all. */
    @Test
    void aTflushRightBehindALargeReadLeavesTheReplyWholeOrAbsent() throws Exception {
        serve(local(), TestServer.Transport.TCP);
        RawClient c = rawClient();
        c.walk(0, 1, "data");
        c.lopen(1, Dotl.O_RDONLY);
        for (int i = 0; i < 20; i++) {
            long offset = (long) i * 100_000;
            int tag = c.send(new Tread(1, offset, MAX_READ));
            int flush = c.send(new Tflush(tag));
            assertInstanceOf(Rflush.class, c.reply(flush));
            if (c.answered(tag)) {
                assertArrayEquals(expected(offset, MAX_READ), bytes(((Rread) c.reply(tag)).data()));
            }
            assertEquals(SIZE, c.getattr(1).size(), "the connection goes on");
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------------------

    /** A passthrough export of {@code dir} holding "data", {@link #SIZE} random bytes. */
    private LocalFileSystem local() throws IOException {
        content = new byte[SIZE];
        new SplittableRandom(SIZE).nextBytes(content);
        Files.write(dir.resolve("data"), content);
        return LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH));
    }

    private Endpoint serve(FileSystem fs, TestServer.Transport transport) throws IOException {
        server = NinefsServer.builder().export("", fs).build();
        Endpoint asked = transport == TestServer.Transport.UNIX
                ? new Endpoint.Unix(dir.resolve("9p.sock"))
                : new Endpoint.Tcp("127.0.0.1", 0);
        bound = server.listen(asked);
        return bound;
    }

    private Endpoint endpoint() {
        return bound;
    }

    private static ClientOptions options() {
        return new ClientOptions(MSIZE, ClientOptions.DEFAULT_TIMEOUT, ClientOptions.DEFAULT_MAX_IN_FLIGHT);
    }

    private Connection connect(Endpoint endpoint) throws IOException {
        Connection c = Connection.open(endpoint.connect(), options());
        closing.add(c);
        return c;
    }

    private RemoteFile open(Connection c, String name) throws IOException {
        RemoteFile root = c.attach("test", "");
        closing.add(root);
        RemoteFile f = root.open(name, Dotl.O_RDONLY);
        closing.add(f);
        return f;
    }

    /** One Tread's data. */
    private static byte[] read(RemoteFile f, long offset, int count) throws Exception {
        return bytes(f.readAsync(offset, count).get(RawClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    private byte[] expected(long offset, int count) {
        int from = (int) Math.min(offset, content.length);
        return Arrays.copyOfRange(content, from, (int) Math.min(content.length, offset + count));
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }

    /** Every region gave its descriptor back: no descriptor of this process is open on the test's file. */
    private void assertNoDescriptorLeft() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        closing.clear();
        server.close();
        server = null;
        Path data = dir.resolve("data").toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            long open = fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(data);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
            assertEquals(0, open, "descriptors still open on " + data);
        }
    }

    /** A RawClient with a 1 MiB msize, attached as fid 0. */
    private RawClient rawClient() throws IOException {
        RawClient c = RawClient.negotiated(endpoint(), MSIZE);
        closing.add(c);
        c.attach(0, "");
        return c;
    }

    /**
     * A client with a small receive buffer that reads only when asked ({@link #next}), set up with "data" open as
     * fid 1: its server's replies back up as soon as it stops reading.
     */
    private static final class SlowClient implements AutoCloseable {
        private final SocketChannel socket;
        private final StreamFrameChannel channel;

        SlowClient(Endpoint endpoint) throws IOException {
            if (endpoint instanceof Endpoint.Tcp tcp) {
                socket = SocketChannel.open();
                socket.setOption(StandardSocketOptions.SO_RCVBUF, 16 << 10);
                socket.connect(new InetSocketAddress(tcp.host(), tcp.port()));
            } else {
                socket = SocketChannel.open(UnixDomainSocketAddress.of(((Endpoint.Unix) endpoint).path()));
            }
            channel = StreamFrameChannel.of(socket);
            send(Message.NOTAG, new Tversion(MSIZE, "9P2000.L"));
            assertInstanceOf(Rversion.class, next().message());
            send(1, new Tattach(0, Message.NOFID, "test", "", 0));
            assertInstanceOf(Rattach.class, next().message());
            send(2, new Twalk(0, 1, List.of("data")));
            assertInstanceOf(Rwalk.class, next().message());
            send(3, new Tlopen(1, Dotl.O_RDONLY));
            assertInstanceOf(Rlopen.class, next().message());
        }

        void send(int tag, Message.Request request) throws IOException {
            channel.write(RawClient.encode(tag, request));
        }

        Frame next() throws IOException {
            return Codec.decode(channel.readFrame(MSIZE));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** An export whose open files truncate "data" to {@link #size} right after they hand out a region of it. */
    private static final class ShrinkingFileSystem extends ForwardingFileSystem {
        private final Path file;
        /** The size to cut the file to; none while negative. */
        volatile long size = -1;

        ShrinkingFileSystem(FileSystem delegate, Path file) {
            super(delegate);
            this.file = file;
        }

        @Override
        public boolean quickCalls() {
            return delegate().quickCalls();
        }

        @Override
        protected Node wrap(Node root) {
            return new Shrinking(root);
        }

        private final class Shrinking extends ForwardingNode {
            Shrinking(Node delegate) {
                super(delegate);
            }

            @Override
            protected Node wrap(Node node) {
                return new Shrinking(node);
            }

            @Override
            protected OpenFile wrap(OpenFile opened) {
                return new ForwardingOpenFile(opened) {
                    @Override
                    public FileRegion region(long offset, int count) throws ErrnoException {
                        FileRegion region = super.region(offset, count);
                        if (size < 0) {
                            return region;
                        }
                        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                            f.setLength(Math.min(size, f.length()));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        return region;
                    }
                };
            }
        }
    }
}
