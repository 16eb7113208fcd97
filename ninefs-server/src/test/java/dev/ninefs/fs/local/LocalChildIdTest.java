// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.GID;
import static dev.ninefs.fs.local.LocalFixture.USER;
import static dev.ninefs.fs.local.LocalFixture.assertErrno;
import static dev.ninefs.fs.local.LocalFixture.open;
import static dev.ninefs.fs.local.LocalFixture.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.protocol.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Node#childId}, the one-stat identity the remap qid policy asks for every listed entry, against the identity
 * a walk to the same name gives: they must be equal, or a listing and a walk hand out different qids.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalChildIdTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void childIdOfEveryListedEntryIsWhatAWalkToItGives(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node d = root.mkdir("d", 0750, GID)) {
            populate(d);
            // Made behind the server's back: a real symlink and fifo, no mapped metadata, even under mapped models.
            Files.createSymbolicLink(dir.resolve("d/host-link"), Path.of("/"));
            Posix.mknodat(Linux.AT_FDCWD, dir.resolve("d/host-fifo").toString(), Linux.S_IFIFO | 0600, 0);
            Files.writeString(dir.resolve("d/host-file"), "made on the host");

            Set<String> expected = Set.of(".", "..", "file", "written", "sub", "link", "fifo", "chr", "sock",
                    "alias", "host-link", "host-fifo", "host-file");
            assertEachListedEntryMatchesItsWalk(d, expected);
            assertEachListedEntryMatchesItsWalk(root, Set.of(".", "..", "d"));
            try (Node sub = d.walk("sub")) {
                assertEachListedEntryMatchesItsWalk(sub, Set.of(".", ".."));
            }

            // Types as the client sees them, whatever the host holds; one file behind both hard links.
            assertEquals(FileId.S_IFLNK, d.childId("link").mode() & FileId.S_IFMT);
            assertEquals(FileId.S_IFLNK, d.childId("host-link").mode() & FileId.S_IFMT);
            assertEquals(FileId.S_IFCHR | 0640, d.childId("chr").mode());
            assertEquals(FileId.S_IFIFO, d.childId("fifo").mode() & FileId.S_IFMT);
            assertEquals(FileId.S_IFSOCK, d.childId("sock").mode() & FileId.S_IFMT);
            assertEquals(d.childId("file"), d.childId("alias"));
            assertEquals(root.fileId(), root.childId(".."), "the root's parent is the root");
            assertEquals(root.fileId(), d.childId(".."));
            assertEquals(d.fileId(), d.childId("."));
            assertNotEquals(root.childId("."), d.childId("host-link"), "a symlink to / is not followed");
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void childIdRefusesWhatAWalkRefuses(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node d = root.mkdir("d", 0755, GID)) {
            writeFile(d, "f", "x");
            d.setattr(LocalFixture.chmod(0700)); // makes mapped-file metadata for d in the root
            assertErrno(Errno.ENOENT, () -> d.childId("missing"));
            assertErrno(Errno.EINVAL, () -> d.childId(""));
            assertErrno(Errno.EINVAL, () -> d.childId("f/.."));
            assertErrno(Errno.EINVAL, () -> d.childId("../d"));
            assertErrno(Errno.ENAMETOOLONG, () -> d.childId("n".repeat(Linux.NAME_MAX + 1)));
            try (Node f = d.walk("f")) {
                assertErrno(Errno.ENOTDIR, () -> f.childId("x"));
                assertErrno(Errno.ENOTDIR, () -> f.childId("."));
                assertErrno(Errno.ENOTDIR, () -> f.childId(".."));
            }
            d.unlinkAt("f", 0);
            assertErrno(Errno.ENOENT, () -> d.childId("f"));
            if (model == SecurityModel.MAPPED_FILE) {
                assertEquals(true, Files.isDirectory(dir.resolve(MappedFile.META_DIR)), "metadata exists on host");
                assertErrno(Errno.ENOENT, () -> root.childId(MappedFile.META_DIR));
                assertErrno(Errno.ENOENT, () -> root.childId(MappedFile.META_ROOT));
            }
        }
    }

    /** One of each kind of entry, with client modes that differ from what a mapped model puts on the host. */
    private static void populate(Node d) throws Exception {
        writeFile(d, "file", "");
        writeFile(d, "written", "some content, so that the version is not that of an empty file");
        try (Node file = d.walk("file")) {
            file.setattr(LocalFixture.chmod(0604));
            d.link("alias", file);
        }
        d.mkdir("sub", 0711, GID).close();
        d.symlink("link", "../d/file", GID).close();
        d.mknod("fifo", FileId.S_IFIFO | 0620, 0, 0, GID).close();
        d.mknod("chr", FileId.S_IFCHR | 0640, 1, 3, GID).close();
        d.mknod("sock", FileId.S_IFSOCK | 0600, 0, 0, GID).close();
    }

    private static void assertEachListedEntryMatchesItsWalk(Node dir, Set<String> expected) throws Exception {
        Set<String> seen = new HashSet<>();
        for (DirEntry e : LocalFixture.list(dir)) {
            seen.add(e.name());
            try (Node walked = dir.walk(e.name())) {
                assertEquals(walked.fileId(), dir.childId(e.name()), e.name());
            }
        }
        assertEquals(expected, seen);
    }
}
