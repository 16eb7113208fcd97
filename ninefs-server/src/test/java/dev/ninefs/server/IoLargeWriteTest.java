// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH));
        server = TestServer.start(NinefsServer.builder().export("", fs).build(), TestServer.Transport.TCP);
        c = server.client(MSIZE);
        c.attach(0, "");
        c.walk(0, 1);
        c.ok(new Tlcreate(1, "big", Dotl.O_RDWR, 0644, 0), Rlcreate.class);
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
}
