// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extended attributes, with setxattr(2)'s flags and limits. */
abstract class XattrContract extends ReaddirContract {

    @Test
    void setThenGetReturnsTheValue() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        file.setxattr("user.color", bytes("blue"), 0);
        assertArrayEquals(bytes("blue"), file.getxattr("user.color"));
        file.setxattr("user.color", bytes("green"), 0);
        assertArrayEquals(bytes("green"), fx().walk(fx().root(), "f").getxattr("user.color"));
    }

    @Test
    void listShowsEveryName() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        file.setxattr("user.a", bytes("1"), 0);
        file.setxattr("user.b", bytes("2"), 0);
        List<String> names = file.listxattr();
        assertTrue(names.containsAll(List.of("user.a", "user.b")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("user.") && !n.equals("user.a") && !n.equals("user.b")));
    }

    @Test
    void createFlagOnAnExistingNameIsEexist() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        file.setxattr("user.x", bytes("1"), Dotl.XATTR_CREATE);
        assertErrno(Errno.EEXIST, () -> file.setxattr("user.x", bytes("2"), Dotl.XATTR_CREATE));
        assertArrayEquals(bytes("1"), file.getxattr("user.x"));
    }

    @Test
    void replaceFlagOnAMissingNameIsEnodata() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENODATA, () -> file.setxattr("user.x", bytes("1"), Dotl.XATTR_REPLACE));
        file.setxattr("user.x", bytes("1"), 0);
        file.setxattr("user.x", bytes("2"), Dotl.XATTR_REPLACE);
        assertArrayEquals(bytes("2"), file.getxattr("user.x"));
    }

    @Test
    void getOfAMissingNameIsEnodata() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENODATA, () -> file.getxattr("user.absent"));
    }

    @Test
    void removeDeletesAndAMissingNameIsEnodata() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        file.setxattr("user.x", bytes("1"), 0);
        file.removexattr("user.x");
        assertErrno(Errno.ENODATA, () -> file.getxattr("user.x"));
        assertFalse(file.listxattr().contains("user.x"));
        assertErrno(Errno.ENODATA, () -> file.removexattr("user.x"));
    }

    @Test
    void binaryValuesAreKept() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        file.setxattr("user.binary", binary, 0);
        assertArrayEquals(binary, file.getxattr("user.binary"));
    }

    /** Over 9P2000.L an empty value cannot be told from a removal (Txattrcreate of size 0 means both). */
    @Test
    void emptyAndBinaryValuesAreKept() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        file.setxattr("user.empty", new byte[0], 0);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        file.setxattr("user.binary", binary, 0);
        assertArrayEquals(new byte[0], file.getxattr("user.empty"));
        assertArrayEquals(binary, file.getxattr("user.binary"));
        assertTrue(file.listxattr().contains("user.empty"));
    }

    @Test
    void aValueOverSixtyFourKibIsE2big() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.E2BIG, () -> file.setxattr("user.big", new byte[65_537], 0));
    }

    @Test
    void aNameOver255BytesIsErange() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        String name = "user." + "n".repeat(251);
        assertErrno(Errno.ERANGE, () -> file.setxattr(name, bytes("1"), 0));
        assertErrno(Errno.ERANGE, () -> file.getxattr(name));
    }

    @Test
    void anUnknownNamespaceIsEopnotsupp() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.EOPNOTSUPP, () -> file.setxattr("nonsense.x", bytes("1"), 0));
        assertErrno(Errno.EOPNOTSUPP, () -> file.getxattr("nonsense.x"));
    }

    @Test
    void userXattrsOnASymlinkAreEperm() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node link = fx().symlink(fx().root(), "l", "target");
        assertErrno(Errno.EPERM, () -> link.setxattr("user.x", bytes("1"), 0));
    }

    @Test
    void xattrsOnDirectories() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node dir = fx().mkdir(fx().root(), "d");
        dir.setxattr("user.d", bytes("dir"), 0);
        assertArrayEquals(bytes("dir"), dir.getxattr("user.d"));
    }

    @Test
    void settingAnXattrUpdatesCtime() throws Exception {
        fx().require(Feature.XATTR_USER);
        Node file = fx().touch(fx().root(), "f");
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        file.setxattr("user.x", bytes("1"), 0);
        Attr after = file.getattr();
        assertTrue(ContractFixture.compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(),
                before.ctimeNsec()) > 0);
    }

    @Test
    void settingWithoutWritePermissionIsEacces() throws Exception {
        fx().require(Feature.XATTR_USER, Feature.PERMISSIONS);
        fx().touch(fx().root(), "f").setxattr("user.x", bytes("1"), 0);
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertArrayEquals(bytes("1"), theirs.getxattr("user.x"));
        assertErrno(Errno.EACCES, () -> theirs.setxattr("user.x", bytes("2"), 0));
        assertErrno(Errno.EACCES, () -> theirs.removexattr("user.x"));
    }

    @Test
    void trustedXattrsAreRootsAlone() throws Exception {
        fx().require(Feature.XATTR_USER, Feature.XATTR_TRUSTED, Feature.ROOT, Feature.PERMISSIONS);
        fx().touch(fx().root(), "f");
        Node asRoot = fx().walk(fx().attach(new User(0, "root")), "f");
        asRoot.setxattr("trusted.secret", bytes("s"), 0);
        assertArrayEquals(bytes("s"), asRoot.getxattr("trusted.secret"));
        assertTrue(asRoot.listxattr().contains("trusted.secret"));
        fx().walk(fx().root(), "f").setattr(ContractFixture.chmod(0666));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertFalse(theirs.listxattr().contains("trusted.secret"));
        assertErrno(Errno.ENODATA, () -> theirs.getxattr("trusted.secret"));
        assertErrno(Errno.EPERM, () -> theirs.setxattr("trusted.other", bytes("1"), 0));
    }
}
