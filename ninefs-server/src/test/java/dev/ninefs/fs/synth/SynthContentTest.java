// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunked content: holes, chunk boundaries, truncation, space accounting, and large files. */
class SynthContentTest {
    private static final int CHUNK = Content.CHUNK;

    private final Space space = new Space(1L << 40, 10);
    private final Content content = new Content(space);

    private byte[] read(long offset, int count) {
        ByteBuffer dst = ByteBuffer.allocate(count);
        int n = content.read(offset, dst);
        return Arrays.copyOf(dst.array(), n);
    }

    private void write(long offset, byte[] data) throws Exception {
        assertEquals(data.length, content.write(offset, ByteBuffer.wrap(data)));
    }

    @Test
    void aWriteAcrossAChunkBoundaryReadsBack() throws Exception {
        byte[] data = new byte[3 * CHUNK];
        new Random(1).nextBytes(data);
        write(CHUNK - 5, data);
        assertEquals(CHUNK - 5 + data.length, content.size());
        assertArrayEquals(data, read(CHUNK - 5, data.length));
        assertArrayEquals(new byte[CHUNK - 5], read(0, CHUNK - 5), "the hole before reads as zeros");
    }

    @Test
    void aWriteFarPastTheEndAllocatesOneChunkOnly() throws Exception {
        write((1L << 39) + 7, new byte[] {1, 2, 3});
        assertEquals((1L << 39) + 10, content.size());
        assertTrue(content.allocated() <= CHUNK, "allocated " + content.allocated());
        assertArrayEquals(new byte[] {0, 1, 2, 3}, read((1L << 39) + 6, 10));
        assertArrayEquals(new byte[100], read(1L << 38, 100));
    }

    @Test
    void smallFilesHoldLittleSpace() throws Exception {
        write(0, new byte[10]);
        assertEquals(Space.BLOCK, content.allocated());
        write(10, new byte[5000]);
        assertEquals(2 * Space.BLOCK, content.allocated());
        assertEquals(content.allocated(), space.used());
    }

    @Test
    void shrinkingThenGrowingReadsZerosWhereDataWas() throws Exception {
        byte[] data = new byte[CHUNK + 100];
        Arrays.fill(data, (byte) 7);
        write(0, data);
        content.truncate(CHUNK + 10);
        content.truncate(10);
        content.truncate(CHUNK + 100);
        byte[] back = read(0, CHUNK + 100);
        for (int i = 0; i < back.length; i++) {
            assertEquals(i < 10 ? 7 : 0, back[i], "byte " + i);
        }
        assertTrue(content.allocated() <= CHUNK, "the second chunk was freed");
    }

    @Test
    void freeGivesEverythingBack() throws Exception {
        write(0, new byte[5 * CHUNK]);
        write(1L << 35, new byte[100]);
        assertTrue(space.used() > 0);
        content.free();
        assertEquals(0, space.used());
        assertEquals(0, content.allocated());
        assertEquals(0, content.size());
    }

    @Test
    void aFullSpaceGivesAShortWriteThenEnospc() throws Exception {
        Space small = new Space(2 * CHUNK, 10);
        Content c = new Content(small);
        ByteBuffer src = ByteBuffer.wrap(new byte[3 * CHUNK]);
        assertEquals(2 * CHUNK, c.write(0, src));
        assertEquals(2 * CHUNK, c.size());
        ErrnoException e = assertThrows(ErrnoException.class, () -> c.write(2 * CHUNK, ByteBuffer.wrap(new byte[1])));
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals(2 * CHUNK, c.size(), "a failed write changes nothing");
    }

    /** 256 MiB in 1 MiB writes, then read back: linear, not quadratic, in the file's size. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileOfHundredsOfMibGrowsAndReadsInLinearTime() throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(3).nextBytes(block);
        int blocks = 256;
        long start = System.nanoTime();
        for (int i = 0; i < blocks; i++) {
            block[0] = (byte) i;
            write((long) i << 20, block);
        }
        long written = System.nanoTime();
        ByteBuffer dst = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < blocks; i++) {
            dst.clear();
            assertEquals(1 << 20, content.read((long) i << 20, dst));
            assertEquals((byte) i, dst.get(0));
            assertEquals(block[12345], dst.get(12345));
        }
        long read = System.nanoTime();
        assertEquals(256L << 20, content.size());
        assertEquals(256L << 20, content.allocated());
        System.out.printf("synth content: 256 MiB written in %d ms, read in %d ms%n",
                (written - start) / 1_000_000, (read - written) / 1_000_000);
        content.free();
    }
}
