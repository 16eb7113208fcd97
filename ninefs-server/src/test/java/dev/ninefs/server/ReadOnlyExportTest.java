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
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A read-only export answers EROFS to every change, while the same files stay writable through another export. */
@Timeout(60)
class ReadOnlyExportTest {

    @Test
    void everyChangeIsErofs() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder()
                .contents(r -> r.file("f", "text").dir("d", d -> d.file("g", ""))).build();
        NinefsServer server = NinefsServer.builder().export("rw", fs).export("ro", fs, true).build();
        assertTrue(server.exports().get("ro").readOnly());
        try (TestServer s = TestServer.tcp(server); RawClient c = s.client()) {
            c.attach(0, "ro");
            c.walk(0, 1, "f");
            c.walk(0, 2, "d");
            c.walk(0, 9);
            // Reading works.
            c.lopen(1, Dotl.O_RDONLY);
            assertArrayEquals("text".getBytes(UTF_8), c.read(1, 0, 100));
            c.getattr(1);
            c.ok(new Tstatfs(0), Rstatfs.class);
            c.walk(0, 3, "d");
            c.lopen(3, Dotl.O_RDONLY | Dotl.O_DIRECTORY);
            c.ok(new Treaddir(3, 0, 4096), Rreaddir.class);
            // Every change is EROFS.
            c.walk(0, 4, "f");
            assertEquals(Errno.EROFS, c.error(new Tlopen(4, Dotl.O_WRONLY)));
            assertEquals(Errno.EROFS, c.error(new Tlopen(4, Dotl.O_RDWR)));
            assertEquals(Errno.EROFS, c.error(new Tlopen(4, Dotl.O_RDONLY | Dotl.O_TRUNC)));
            assertEquals(Errno.EROFS, c.error(new Tlcreate(9, "new", Dotl.O_RDWR, 0644, 0)));
            assertEquals(Errno.EROFS, c.error(new Tmkdir(0, "new", 0755, 0)));
            assertEquals(Errno.EROFS, c.error(new Tsymlink(0, "new", "f", 0)));
            assertEquals(Errno.EROFS, c.error(new Tmknod(0, "new", FileId.S_IFIFO | 0644, 0, 0, 0)));
            assertEquals(Errno.EROFS, c.error(new Tlink(0, 4, "new")));
            assertEquals(Errno.EROFS, c.error(new Trename(4, 2, "new")));
            assertEquals(Errno.EROFS, c.error(new Trenameat(0, "f", 2, "new")));
            assertEquals(Errno.EROFS, c.error(new Tunlinkat(0, "f", 0)));
            assertEquals(Errno.EROFS, c.error(new Tsetattr(4, Dotl.SETATTR_MODE, 0600, 0, 0, 0, 0, 0, 0, 0)));
            assertEquals(Errno.EROFS, c.error(new Tsetattr(4, Dotl.SETATTR_ATIME, 0, 0, 0, 0, 0, 0, 0, 0)));
            c.ok(new Txattrcreate(4, "user.x", 1, 0), Rxattrcreate.class);
            c.write(4, 0, new byte[] {1});
            assertEquals(Errno.EROFS, c.error(new Tclunk(4)), "the xattr is set, and refused, at clunk");
            assertEquals(Errno.EBADF, c.error(new Twrite(1, 0, ByteBuffer.wrap(new byte[1]))));
            c.walk(0, 5, "d", "g");
            assertEquals(Errno.EROFS, c.error(new Tremove(5)));
            assertEquals(Errno.EBADF, c.error(new Tclunk(5)), "remove clunks even when refused");
            // Nothing changed, as the writable export shows.
            c.attach(10, "rw");
            c.walk(10, 11, "d", "g");
            assertEquals(Errno.ENOENT, c.error(new Twalk(10, 12, List.of("new"))));
            c.walk(10, 13, "f");
            c.lopen(13, Dotl.O_RDWR);
            c.write(13, 0, "TEXT".getBytes(UTF_8));
            assertArrayEquals("TEXT".getBytes(UTF_8), c.read(1, 0, 100), "the ro view sees writes made elsewhere");
        }
    }
}
