// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A read-only export refuses every change with EROFS and still serves reads. */
abstract class ReadOnlyContract extends StatfsContract {

    @Test
    void aReadOnlyExportRefusesEveryChange() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().file(dir, "f", bytes("content"));
        fx().mkdir(dir, "sub");
        FileSystem view = fx().readOnlyView();
        assertTrue(view.readOnly());
        assertFalse(fx().fs().readOnly());
        Node root = fx().attach(view, fx().owner());
        Node d = fx().walk(root, "d");
        Node f = fx().walk(d, "f");
        assertErrno(Errno.EROFS, () -> fx().create(d, "new", Dotl.O_RDWR, 0644));
        assertErrno(Errno.EROFS, () -> fx().mkdir(d, "new"));
        assertErrno(Errno.EROFS, () -> fx().symlink(d, "new", "f"));
        assertErrno(Errno.EROFS, () -> d.link("new", f));
        assertErrno(Errno.EROFS, () -> d.renameAt("f", d, "g"));
        assertErrno(Errno.EROFS, () -> f.rename(d, "g"));
        assertErrno(Errno.EROFS, () -> d.unlinkAt("f", 0));
        assertErrno(Errno.EROFS, () -> d.unlinkAt("sub", Dotl.AT_REMOVEDIR));
        assertErrno(Errno.EROFS, f::remove);
        assertErrno(Errno.EROFS, () -> f.setattr(ContractFixture.chmod(0600)));
        assertErrno(Errno.EROFS, () -> f.setattr(ContractFixture.truncate(0)));
        assertErrno(Errno.EROFS, () -> f.setattr(ContractFixture.timesNow()));
        assertErrno(Errno.EROFS, () -> fx().open(f, Dotl.O_WRONLY));
        assertErrno(Errno.EROFS, () -> fx().open(f, Dotl.O_RDWR));
        assertErrno(Errno.EROFS, () -> fx().open(f, Dotl.O_RDONLY | Dotl.O_TRUNC));
        assertEquals(List.of("f", "sub"), fx().names(dir).stream().sorted().toList());
        assertArrayEquals(bytes("content"), fx().content(fx().walk(dir, "f")));
    }

    @Test
    void aReadOnlyExportRefusesXattrChanges() throws Exception {
        fx().require(BackendContract.Feature.XATTR_USER);
        fx().touch(fx().root(), "f").setxattr("user.x", bytes("1"), 0);
        Node f = fx().walk(fx().attach(fx().readOnlyView(), fx().owner()), "f");
        assertArrayEquals(bytes("1"), f.getxattr("user.x"));
        assertErrno(Errno.EROFS, () -> f.setxattr("user.y", bytes("1"), 0));
        assertErrno(Errno.EROFS, () -> f.removexattr("user.x"));
    }

    @Test
    void aReadOnlyExportStillReads() throws Exception {
        fx().file(fx().root(), "f", bytes("readable"));
        fx().symlink(fx().root(), "l", "f");
        Node root = fx().attach(fx().readOnlyView(), fx().owner());
        OpenFile file = fx().open(fx().walk(root, "f"), Dotl.O_RDONLY);
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(8, file.read(0, dst));
        assertEquals("f", fx().walk(root, "l").readlink());
        assertEquals(List.of("f", "l"), fx().names(root).stream().sorted().toList());
        root.statfs();
    }
}
