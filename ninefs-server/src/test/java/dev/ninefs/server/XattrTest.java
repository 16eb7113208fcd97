// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Extended attributes through Txattrwalk and Txattrcreate, as the Linux client uses them. */
@Timeout(60)
class XattrTest {
    private TestServer server;
    private RawClient c;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.tcp(NinefsServer.builder()
                .export("", SynthFileSystem.builder().contents(r -> r.file("f", "")).build()).build());
        c = server.client();
        c.attach(0, "");
        c.walk(0, 1, "f");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** setxattr as the Linux client does it: clone, xattrcreate, write, clunk. */
    private Message.Response setxattr(String name, byte[] value, int flags) throws Exception {
        c.walk(1, 10);
        c.ok(new Txattrcreate(10, name, value.length, flags), Rxattrcreate.class);
        if (value.length > 0) {
            assertEquals(value.length, c.write(10, 0, value));
        }
        return c.call(new Tclunk(10));
    }

    private byte[] getxattr(String name) throws Exception {
        long size = c.ok(new Txattrwalk(1, 20, name), Rxattrwalk.class).size();
        byte[] value = c.read(20, 0, (int) size + 10);
        assertEquals(size, value.length);
        c.clunk(20);
        return value;
    }

    @Test
    void setGetListRemove() throws Exception {
        assertEquals(new Rclunk(), setxattr("user.colour", "blue".getBytes(UTF_8), 0));
        assertArrayEquals("blue".getBytes(UTF_8), getxattr("user.colour"));
        assertEquals(new Rclunk(), setxattr("user.shape", "round".getBytes(UTF_8), Dotl.XATTR_CREATE));
        String list = new String(getxattr(""), UTF_8);
        assertTrue(list.contains("user.colour\0") && list.contains("user.shape\0"), list);
        // Reading at an offset, and past the end.
        c.ok(new Txattrwalk(1, 20, "user.shape"), Rxattrwalk.class);
        assertArrayEquals("und".getBytes(UTF_8), c.read(20, 2, 100));
        assertArrayEquals(new byte[0], c.read(20, 50, 100));
        assertEquals(Errno.EBADF, c.error(new Twrite(20, 0, ByteBuffer.wrap(new byte[1]))));
        c.clunk(20);
        // Size 0 is removexattr.
        assertEquals(new Rclunk(), setxattr("user.colour", new byte[0], 0));
        assertEquals(Errno.ENODATA, c.error(new Txattrwalk(1, 20, "user.colour")));
        assertEquals(Errno.EBADF, c.error(new Tclunk(20)), "no fid after a failed xattrwalk");
    }

    @Test
    void aShortWriteIsEinvalAtClunkAndSetsNothing() throws Exception {
        c.walk(1, 10);
        c.ok(new Txattrcreate(10, "user.partial", 10, 0), Rxattrcreate.class);
        assertEquals(4, c.write(10, 0, "half".getBytes(UTF_8)));
        assertEquals(new Rlerror(Errno.EINVAL.code()), c.call(new Tclunk(10)));
        assertEquals(Errno.EBADF, c.error(new Tclunk(10)), "clunked anyway");
        assertEquals(Errno.ENODATA, c.error(new Txattrwalk(1, 20, "user.partial")));
    }

    @Test
    void xattrMistakes() throws Exception {
        assertEquals(Errno.E2BIG, c.error(new Txattrcreate(1, "user.huge", 1 << 20, 0)));
        assertEquals(Errno.EINVAL, c.error(new Txattrcreate(1, "user.x", 1, 0x10)));
        assertEquals(Errno.EINVAL, c.error(new Txattrcreate(1, "", 1, 0)));
        assertEquals(Errno.EBADF, c.error(new Txattrwalk(1, 1, "user.x")), "newfid must be new");
        c.walk(1, 10);
        c.ok(new Txattrcreate(10, "user.x", 3, 0), Rxattrcreate.class);
        assertEquals(Errno.EBADF, c.error(new Tread(10, 0, 3)), "an xattr-write fid is not readable");
        assertEquals(Errno.EBADF, c.error(new Tlopen(10, 0)));
        assertEquals(3, c.write(10, 0, "abcdef".getBytes(UTF_8)), "cut at the announced size");
        assertEquals(Errno.ENOSPC, c.error(new Twrite(10, 4, ByteBuffer.wrap(new byte[1]))));
        c.clunk(10);
        assertArrayEquals("abc".getBytes(UTF_8), getxattr("user.x"));
    }
}
