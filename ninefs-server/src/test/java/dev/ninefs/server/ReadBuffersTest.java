// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message.Rread;
import dev.ninefs.protocol.Message.Tread;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The direct buffers Tread data goes through, and that a lent buffer is never reused before its reply left. */
@Timeout(60)
class ReadBuffersTest {

    @Test
    void aBufferIsDirectSizedToTheRequestAndReusedOnceGivenBack() {
        ByteBuffer b = ReadBuffers.take(5000);
        assertTrue(b.isDirect());
        assertEquals(0, b.position());
        assertEquals(5000, b.limit());
        assertEquals(8192, b.capacity(), "sizes round up to a power of two");
        b.put((byte) 1).limit(7);
        ReadBuffers.give(b);
        ByteBuffer again = ReadBuffers.take(8000);
        assertSame(b, again, "the same size class hands it out again");
        assertEquals(0, again.position());
        assertEquals(8000, again.limit());
        ReadBuffers.give(again);
    }

    @Test
    void smallAndLargestRequestsAndBeyond() {
        assertEquals(ReadBuffers.MIN, ReadBuffers.take(0).capacity());
        assertEquals(ReadBuffers.MIN, ReadBuffers.take(1).capacity());
        assertEquals(ReadBuffers.MAX, ReadBuffers.take(ReadBuffers.MAX).capacity());
        assertThrows(IllegalArgumentException.class, () -> ReadBuffers.take(ReadBuffers.MAX + 1));
        ReadBuffers.give(ByteBuffer.allocate(8192)); // a heap buffer is ignored, not pooled
        assertTrue(ReadBuffers.take(8192).isDirect());
    }

    /**
     * Many reads of two files with different contents in flight on several connections: every reply carries its
     * own file's bytes, which fails if a buffer went back to the pool before its reply was written.
     */
    @Test
    void pipelinedReadsNeverSeeAnotherReadsData() throws Exception {
        byte[] a = new byte[6000];
        byte[] b = new byte[6000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> r.file("a", a).file("b", b)).build();
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", fs).build())) {
            Thread[] clients = new Thread[3];
            Throwable[] failures = new Throwable[clients.length];
            for (int i = 0; i < clients.length; i++) {
                int n = i;
                clients[i] = Thread.ofVirtual().start(() -> {
                    try (RawClient c = s.client(65536)) {
                        c.attach(0, "");
                        c.walk(0, 1, "a");
                        c.walk(0, 2, "b");
                        c.lopen(1, Dotl.O_RDONLY);
                        c.lopen(2, Dotl.O_RDONLY);
                        for (int round = 0; round < 50; round++) {
                            int[] tags = new int[32];
                            for (int t = 0; t < tags.length; t++) {
                                tags[t] = c.send(new Tread(1 + t % 2, t, 5000));
                            }
                            for (int t = 0; t < tags.length; t++) {
                                Rread r = (Rread) c.reply(tags[t]);
                                byte[] got = new byte[r.data().remaining()];
                                r.data().get(got);
                                byte[] want = new byte[5000];
                                Arrays.fill(want, t % 2 == 0 ? (byte) 'a' : (byte) 'b');
                                assertArrayEquals(want, got, "read " + t + " of round " + round);
                            }
                        }
                    } catch (Throwable e) {
                        failures[n] = e;
                    }
                });
            }
            for (int i = 0; i < clients.length; i++) {
                clients[i].join();
                if (failures[i] != null) {
                    throw new AssertionError("client " + i, failures[i]);
                }
            }
        }
    }
}
