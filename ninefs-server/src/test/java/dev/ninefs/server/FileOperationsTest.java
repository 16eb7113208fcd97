// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/** File requests against the synth backend, over TCP and Unix sockets. */
@Timeout(60)
class FileOperationsTest {
    private static final int MSIZE = 8192;
    @AutoClose
    private TestServer server;
    private RawClient c;

    private void start(TestServer.Transport transport) throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder()
                .contents(r -> r.file("big", new byte[3 * MSIZE]).dir("dir", d -> d.file("inside", "i")))
                .build();
        server = TestServer.exporting(fs, transport);
        c = server.attached(MSIZE);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void lcreateWriteReadGetattr(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1);
        Rlcreate created = c.ok(new Tlcreate(1, "new", Dotl.O_RDWR, 0644, 0), Rlcreate.class);
        assertEquals(Qid.QTFILE, created.qid().type());
        assertEquals(MSIZE - 24, created.iounit());
        assertEquals(5, c.write(1, 0, "hello".getBytes(UTF_8)));
        assertEquals(6, c.write(1, 5, " world".getBytes(UTF_8)));
        assertArrayEquals("hello world".getBytes(UTF_8), c.read(1, 0, 100));
        assertArrayEquals("world".getBytes(UTF_8), c.read(1, 6, 100));
        assertArrayEquals(new byte[0], c.read(1, 100, 100));
        Rgetattr a = c.ok(new Tgetattr(1, Dotl.GETATTR_BASIC), Rgetattr.class);
        assertEquals(11, a.size());
        assertEquals(FileId.S_IFREG | 0644, a.mode());
        assertEquals(Dotl.GETATTR_BASIC, a.valid() & Dotl.GETATTR_BASIC);
        assertEquals(created.qid().path(), a.qid().path());
        assertEquals(0, c.ok(new Tgetattr(1, Dotl.GETATTR_MODE), Rgetattr.class).valid() & ~Dotl.GETATTR_MODE,
                "valid never claims more than was asked");
        // The file can be found by name afterwards, and the directory fid 0 is untouched.
        c.walk(0, 2, "new");
        c.walk(0, 3);
        int excl = Dotl.O_RDWR | Dotl.O_CREAT | Dotl.O_EXCL;
        assertEquals(Errno.EEXIST, c.error(new Tlcreate(3, "new", excl, 0644, 0)));
        assertEquals(Errno.EEXIST, c.error(new Tlcreate(3, ".", excl, 0644, 0)));
        assertEquals(Errno.EINVAL, c.error(new Tlcreate(3, "a/b", excl, 0644, 0)));
        assertEquals(Errno.ENAMETOOLONG, c.error(new Tlcreate(3, "n".repeat(256), excl, 0644, 0)));
        c.ok(new Tlcreate(3, "n".repeat(255), excl, 0644, 0), Rlcreate.class);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void readAndReaddirCountsAreClampedToMsize(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1, "big");
        c.lopen(1, Dotl.O_RDONLY);
        assertEquals(MSIZE - 11, c.read(1, 0, Integer.MAX_VALUE).length);
        assertEquals(MSIZE - 11, c.read(1, 0, -1).length, "count is unsigned");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void openRules(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1, "big");
        assertEquals(Errno.EBADF, c.error(new Tread(1, 0, 10)), "not open");
        assertEquals(Errno.EBADF, c.error(new Tfsync(1, 0)), "not open");
        Rlopen o = c.lopen(1, Dotl.O_RDONLY);
        assertEquals(MSIZE - 24, o.iounit());
        assertEquals(Errno.EBADF, c.error(new Tlopen(1, Dotl.O_RDONLY)), "a fid is opened once");
        assertEquals(Errno.EBADF, c.error(new Twrite(1, 0, java.nio.ByteBuffer.wrap(new byte[1]))),
                "opened read-only");
        c.ok(new Tfsync(1, 0), Rfsync.class);
        c.ok(new Tfsync(1, 1), Rfsync.class);
        c.walk(0, 2, "dir");
        assertEquals(Errno.EISDIR, c.error(new Tlopen(2, Dotl.O_RDWR)));
        assertEquals(Errno.EBADF, c.error(new Tlcreate(1, "x", Dotl.O_RDWR, 0644, 0)), "lcreate on an open fid");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void setattrChangesModeSizeAndTimes(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1, "big");
        int valid = Dotl.SETATTR_MODE | Dotl.SETATTR_SIZE | Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET;
        c.ok(new Tsetattr(1, valid, 0600, 0, 0, 2, 0, 0, 1_000_000, 123_456_789), Rsetattr.class);
        Rgetattr a = c.getattr(1);
        assertEquals(FileId.S_IFREG | 0600, a.mode());
        assertEquals(2, a.size());
        assertEquals(1_000_000, a.mtimeSec());
        assertEquals(123_456_789, a.mtimeNsec());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void statfsAndClunk(TestServer.Transport transport) throws Exception {
        start(transport);
        Rstatfs s = c.ok(new Tstatfs(0), Rstatfs.class);
        assertTrue(s.namelen() > 0 && s.bsize() > 0);
        c.walk(0, 1);
        c.clunk(1);
        assertEquals(Errno.EBADF, c.error(new Tclunk(1)));
        assertEquals(Errno.EBADF, c.error(new Tgetattr(1, 1)));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void removeClunksEvenWhenItFails(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1, "dir");
        assertEquals(Errno.ENOTEMPTY, c.error(new Tremove(1)));
        assertEquals(Errno.EBADF, c.error(new Tclunk(1)), "the fid is gone although the remove failed");
        c.walk(0, 2, "dir", "inside");
        c.ok(new Tremove(2), Rremove.class);
        assertEquals(Errno.EBADF, c.error(new Tclunk(2)));
        assertEquals(1, c.ok(new Twalk(0, 3, List.of("dir", "inside")), Rwalk.class).qids().size());
        assertEquals(Errno.EBADF, c.error(new Tremove(99)));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void unlinkedOpenFileStaysReadableAndWritable(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1);
        c.ok(new Tlcreate(1, "doomed", Dotl.O_RDWR, 0644, 0), Rlcreate.class);
        c.write(1, 0, "before".getBytes(UTF_8));
        c.ok(new Tunlinkat(0, "doomed", 0), Runlinkat.class);
        assertEquals(Errno.ENOENT, c.error(new Twalk(0, 2, List.of("doomed"))));
        assertArrayEquals("before".getBytes(UTF_8), c.read(1, 0, 100));
        c.write(1, 6, "+after".getBytes(UTF_8));
        assertArrayEquals("before+after".getBytes(UTF_8), c.read(1, 0, 100));
        Rgetattr a = c.getattr(1);
        assertEquals(0, a.nlink());
        assertEquals(12, a.size());
        c.clunk(1);
    }
}
