// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.local.LocalOptions;
import dev.ninefs.fs.local.SecurityModel;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large reads from a real server over loopback TCP, byte for byte, into direct buffers (whose large replies land
 * straight from the socket when the caller reads them itself) and heap ones (copied): odd offsets and sizes,
 * end of file inside the window, one caller alone and several at once (the connection's reader then reads).
 */
@Timeout(120)
class LargeReadsOverWireTest {
    /** A small msize: a window of many requests even for a few hundred KiB. */
    private static final int MSIZE = 64 << 10;
    private static final int FILE_SIZE = (3 << 20) + 12_345;
    private static final byte UNTOUCHED = (byte) 0xa5;

    @TempDir
    Path export;
    private byte[] content;
    private NinefsServer server;
    private Connection connection;
    private RemoteFile file;

    @BeforeEach
    void start() throws Exception {
        content = new byte[FILE_SIZE];
        new SplittableRandom(11).nextBytes(content);
        Files.write(export.resolve("data"), content);
        LocalFileSystem fs = LocalFileSystem.open(export, LocalOptions.of(SecurityModel.PASSTHROUGH));
        server = NinefsServer.builder().export(Export.of("e2e", fs, false)).build();
        Endpoint bound = server.listen(Endpoint.parse("tcp://127.0.0.1:0"));
        connection = Connection.open(bound.connect(), ClientOptions.defaults().withMsize(MSIZE));
        file = connection.attach("root", "e2e", 0).open("data", Dotl.O_RDONLY);
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readFullyIsByteExactAtOddOffsetsAndSizes(boolean direct) throws Exception {
        int max = file.maxReadSize();
        long[] offsets = {0, 1, 4095, 777_777, FILE_SIZE - 3 * max - 1};
        int[] sizes = {1, (16 << 10) - 1, (16 << 10) + 5, max, max + 1, 3 * max - 7, (1 << 20) + 3};
        for (long offset : offsets) {
            for (int size : sizes) {
                readAndCheck(direct, offset, size, 13);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void endOfFileInsideTheWindowEndsTheRead(boolean direct) throws Exception {
        readAndCheck(direct, FILE_SIZE - 100_001, 1 << 20, 5); // a short reply in the middle of the window
        readAndCheck(direct, FILE_SIZE - 3 * file.maxReadSize(), 1 << 20, 0); // ends exactly at a request's end
        readAndCheck(direct, FILE_SIZE, 1 << 20, 0); // nothing at all
        readAndCheck(direct, FILE_SIZE + 5000, 300_000, 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void singleReadsAreByteExact(boolean direct) throws Exception {
        int max = file.maxReadSize();
        for (long offset : new long[] {0, 3, 65_537, FILE_SIZE - max + 10, FILE_SIZE - 1}) {
            for (int size : new int[] {100, (16 << 10) + 1, max, max + 5}) {
                ByteBuffer dst = buffer(direct, size + 9).position(4).limit(4 + size);
                int n = file.read(offset, dst);
                int expected = (int) Math.min(Math.min(size, max), FILE_SIZE - offset);
                assertEquals(expected, n, "read of " + size + " at " + offset);
                assertEquals(4 + n, dst.position());
                check(dst, 4, offset, n, size + 9);
            }
        }
    }

    /** Several callers at once: the connection's reader reads most replies, and copies them into direct buffers. */
    @Test
    void severalCallersAtOnceEachGetTheirOwnBytes() throws Exception {
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int seed = c;
            callers.add(CompletableFuture.runAsync(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < 25; i++) {
                        long offset = random.nextLong(FILE_SIZE - 10);
                        int size = 1 + random.nextInt(700_000);
                        readAndCheck(random.nextInt(4) != 0, offset, size, random.nextInt(8));
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, task -> (seed % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(task)));
        }
        for (CompletableFuture<Void> caller : callers) {
            caller.get(100, TimeUnit.SECONDS);
        }
    }

    /** readFully of {@code size} bytes at {@code offset} into a buffer with {@code slack} bytes on either side. */
    private void readAndCheck(boolean direct, long offset, int size, int slack) throws Exception {
        ByteBuffer dst = buffer(direct, size + 2 * slack).position(slack).limit(slack + size);
        int n = file.readFully(offset, dst);
        int expected = Math.clamp(FILE_SIZE - offset, 0, size);
        assertEquals(expected, n, "readFully of " + size + " at " + offset);
        assertEquals(slack + n, dst.position());
        assertEquals(slack + size, dst.limit());
        check(dst, slack, offset, n, size + 2 * slack);
    }

    /** {@code n} bytes of the file at {@code offset} from {@code at}, and nothing else of the buffer written. */
    private void check(ByteBuffer dst, int at, long offset, int n, int capacity) {
        ByteBuffer all = dst.duplicate().clear();
        for (int i = 0; i < capacity; i++) {
            byte want = i >= at && i < at + n ? content[(int) offset + i - at] : UNTOUCHED;
            if (all.get(i) != want) {
                throw new AssertionError("byte " + i + " of a read of " + n + " at " + offset
                        + (i >= at && i < at + n ? " differs from the file" : " was written"));
            }
        }
    }

    private static ByteBuffer buffer(boolean direct, int capacity) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, UNTOUCHED);
        }
        return b;
    }
}
