// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.local.LocalOptions;
import dev.ninefs.fs.local.SecurityModel;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message.*;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large Twrites arrive in pooled direct buffers that go back to the pool after each write: many of them in flight
 * at once, on the same connection, must land intact, each where it was sent (a buffer reused too early would mix
 * them up).
 */
@Timeout(60)
class IoLargeWriteTest {
    private static final int MSIZE = 1 << 20;
    private static final int BLOCK = MSIZE - IoRequests.IO_HEADER;
    private static final int BLOCKS = 24;

    @TempDir
    Path dir;
    private TestServer server;
    private RawClient c;

    @AfterEach
    void stop() throws Exception {
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pipelinedLargeWritesLandIntactAndInPlace() throws Exception {
        serve();
        create(1, "big", Dotl.O_RDWR);
        byte[][] blocks = new byte[BLOCKS][BLOCK];
        SplittableRandom random = new SplittableRandom(42);
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            random.nextBytes(blocks[i]);
            tags.add(c.send(new Twrite(1, (long) i * BLOCK, ByteBuffer.wrap(blocks[i]))));
        }
        for (int tag : tags) {
            assertEquals(BLOCK, ((Rwrite) c.reply(tag)).count());
        }
        byte[] file = Files.readAllBytes(dir.resolve("big"));
        assertEquals((long) BLOCKS * BLOCK, file.length);
        for (int i = 0; i < BLOCKS; i++) {
            byte[] got = java.util.Arrays.copyOfRange(file, i * BLOCK, (i + 1) * BLOCK);
            assertArrayEquals(blocks[i], got, "block " + i);
        }
    }

    /**
     * A large Twrite is handed to its request before its data is all in, and written to the file as it arrives:
     * a frame that comes in two parts still lands whole, and a request with O_APPEND (written in one piece) too.
     */
    @Test
    void twriteArrivingInPartsLandsWhole() throws Exception {
        serve();
        create(1, "parts", Dotl.O_RDWR);
        create(2, "appended", Dotl.O_WRONLY | Dotl.O_APPEND);
        byte[] data = new byte[BLOCK];
        new SplittableRandom(7).nextBytes(data);
        for (int fid : new int[] {1, 2}) {
            int tag = c.freshTag();
            ByteBuffer frame = RawClient.encode(tag, new Twrite(fid, 0, ByteBuffer.wrap(data)));
            int cut = 300 << 10;
            c.sendRaw(tag, frame.duplicate().limit(cut));
            c.sendRaw(frame.position(cut));
            assertEquals(BLOCK, ((Rwrite) c.reply(tag)).count());
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("parts")));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("appended")));
    }

    /** A Tflush right behind a large Twrite: the write is whole or not answered, and Rflush comes last. */
    @Test
    void flushBehindALargeTwrite() throws Exception {
        serve();
        create(1, "flushed", Dotl.O_RDWR);
        byte[] data = new byte[BLOCK];
        new SplittableRandom(9).nextBytes(data);
        int tag = c.send(new Twrite(1, 0, ByteBuffer.wrap(data)));
        assertEquals(Rflush.class, c.call(new Tflush(tag)).getClass());
        if (c.answered(tag)) {
            assertEquals(BLOCK, ((Rwrite) c.reply(tag)).count());
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("flushed")));
        }
        assertEquals(Rgetattr.class, c.getattr(1).getClass(), "the connection goes on");
    }

    /** The client goes away inside a large Twrite: the request waiting for its data ends, and so does the server. */
    @Test
    void connectionLostInsideALargeTwrite() throws Exception {
        serve();
        create(1, "cut", Dotl.O_RDWR);
        ByteBuffer frame = RawClient.encode(c.freshTag(), new Twrite(1, 0, ByteBuffer.allocate(BLOCK)));
        c.sendRaw(frame.limit(400 << 10));
        c.close();
        c = null;
        server.close(); // waits for the session's requests: it would hang if one still waited for its data
        server = null;
        long size = Files.size(dir.resolve("cut"));
        assertTrue(size <= 400 << 10, "at most what arrived was written, not " + size);
    }

    /** A passthrough export of {@code dir} over TCP, and a client attached to it as fid 0. */
    private void serve() throws Exception {
        LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH));
        server = TestServer.start(NinefsServer.builder().export("", fs).build(), TestServer.Transport.TCP);
        c = server.client(MSIZE);
        c.attach(0, "");
    }

    /** Creates {@code name} in the root, open with {@code flags} as {@code fid}. */
    private void create(int fid, String name, int flags) throws Exception {
        c.walk(0, fid);
        c.ok(new Tlcreate(fid, name, flags, 0644, 0), Rlcreate.class);
    }
}
