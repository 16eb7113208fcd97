// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests that change or list directories, against the synth backend, over TCP and Unix sockets. */
@Timeout(120)
class DirectoryOperationsTest {
    @AutoClose
    private TestServer server;
    private RawClient c;

    private void start(TestServer.Transport transport, SynthFileSystem fs) throws Exception {
        server = TestServer.exporting(fs, transport);
        c = server.attached(TestServer.MSIZE);
    }

    private void start(TestServer.Transport transport) throws Exception {
        start(transport, SynthFileSystem.builder().contents(r -> r.file("file", "content").dir("sub", d -> {}))
                .build());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void mkdirSymlinkReadlinkMknodLink(TestServer.Transport transport) throws Exception {
        start(transport);
        Qid dir = c.ok(new Tmkdir(0, "made", 0755, 0), Rmkdir.class).qid();
        assertTrue(dir.isDirectory());
        assertEquals(dir, c.walk(0, 1, "made").get(0));
        Qid link = c.ok(new Tsymlink(0, "sym", "file", 0), Rsymlink.class).qid();
        assertTrue(link.isSymlink());
        c.walk(0, 2, "sym");
        assertEquals("file", c.ok(new Treadlink(2), Rreadlink.class).target());
        assertEquals(Errno.EINVAL, c.error(new Treadlink(0)), "not a symlink");
        Qid fifo = c.ok(new Tmknod(0, "fifo", FileId.S_IFIFO | 0644, 0, 0, 0), Rmknod.class).qid();
        c.walk(0, 3, "fifo");
        assertEquals(FileId.S_IFIFO, c.getattr(3).mode() & FileId.S_IFMT);
        assertEquals(fifo.path(), c.getattr(3).qid().path());
        c.walk(0, 4, "file");
        c.ok(new Tlink(0, 4, "hard"), Rlink.class);
        c.walk(0, 5, "hard");
        assertEquals(c.getattr(4).qid().path(), c.getattr(5).qid().path());
        assertEquals(2, c.getattr(4).nlink());
        assertEquals(Errno.EEXIST, c.error(new Tmkdir(0, "made", 0755, 0)));
        assertEquals(Errno.EEXIST, c.error(new Tmkdir(0, "..", 0755, 0)));
        assertEquals(Errno.EINVAL, c.error(new Tsymlink(0, "a/b", "x", 0)));
        assertEquals(Errno.EINVAL, c.error(new Tmknod(0, "", FileId.S_IFIFO | 0644, 0, 0, 0)));
        assertEquals(Errno.EEXIST, c.error(new Tlink(0, 4, ".")));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void renameRenameatUnlinkat(TestServer.Transport transport) throws Exception {
        start(transport);
        c.walk(0, 1, "file");
        c.walk(0, 2, "sub");
        c.ok(new Trename(1, 2, "moved"), Rrename.class);
        assertEquals(Errno.ENOENT, c.error(new Twalk(0, 3, List.of("file"))));
        c.walk(0, 3, "sub", "moved");
        c.ok(new Trenameat(2, "moved", 0, "back"), Rrenameat.class);
        c.walk(0, 4, "back");
        assertEquals(c.getattr(1).qid().path(), c.getattr(4).qid().path(), "the fid follows its file");
        assertEquals(Errno.EBUSY, c.error(new Trenameat(0, "back", 2, "..")));
        assertEquals(Errno.EBUSY, c.error(new Trename(1, 2, ".")));
        assertEquals(Errno.EINVAL, c.error(new Tunlinkat(0, ".", 0)));
        assertEquals(Errno.ENOTEMPTY, c.error(new Tunlinkat(0, "..", Dotl.AT_REMOVEDIR)));
        assertEquals(Errno.EINVAL, c.error(new Tunlinkat(0, "back", 0x1)), "unknown flags");
        c.ok(new Tunlinkat(0, "back", 0), Runlinkat.class);
        c.ok(new Tunlinkat(0, "sub", Dotl.AT_REMOVEDIR), Runlinkat.class);
        assertEquals(Errno.ENOENT, c.error(new Tunlinkat(0, "sub", Dotl.AT_REMOVEDIR)));
    }

    @Test
    void readdirOfTenThousandEntriesAcrossManyReplies() throws Exception {
        final int n = 10_000;
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> r.dir("big", d -> {
            for (int i = 0; i < n; i++) {
                d.file("entry-" + i, "");
            }
        })).build();
        start(TestServer.Transport.TCP, fs);
        c.walk(0, 1, "big");
        c.lopen(1, Dotl.O_RDONLY | Dotl.O_DIRECTORY);
        List<String> names = new ArrayList<>();
        int replies = 0;
        long offset = 0;
        while (true) {
            List<Dirent> entries = c.ok(new Treaddir(1, offset, 4096), Rreaddir.class).entries();
            if (entries.isEmpty()) {
                break;
            }
            replies++;
            for (Dirent e : entries) {
                names.add(e.name());
                if (!e.name().equals(".") && !e.name().equals("..")) {
                    assertEquals(Dirent.DT_REG, e.dtype());
                    assertFalse(e.qid().isDirectory());
                }
            }
            offset = entries.getLast().offset();
        }
        Set<String> unique = new HashSet<>(names);
        assertEquals(names.size(), unique.size(), "an entry came twice");
        for (int i = 0; i < n; i++) {
            assertTrue(unique.contains("entry-" + i), "missing entry-" + i);
        }
        assertTrue(replies > 50, "only " + replies + " replies");
        // A count too small for one entry is EINVAL, not an empty (end of directory) reply.
        assertEquals(Errno.EINVAL, c.error(new Treaddir(1, 0, 10)));
        c.walk(0, 2, "big");
        assertEquals(Errno.EBADF, c.error(new Treaddir(2, 0, 4096)), "not open");
    }
}
