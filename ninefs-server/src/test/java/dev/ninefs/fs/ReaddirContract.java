// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.ContractFixture.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** readdir: entries, and offsets that stay valid while the directory changes (no order is promised). */
abstract class ReaddirContract extends RenameContract {
    private static final int DT_DIR = 4, DT_REG = 8, DT_LNK = 10;

    /**
     * getdents(2) promises no order: ext4 lists in hash order, where "." and ".." may come anywhere (". f .." is
     * common). What a client may rely on is that each is listed once, as the directory itself and its parent.
     */
    @Test
    void dotAndDotDotAreListedOnceEachAsTheDirectoryAndItsParent() throws Exception {
        Node parent = fx().mkdir(fx().root(), "p");
        Node dir = fx().mkdir(parent, "d");
        fx().touch(dir, "f");
        List<DirEntry> all = fx().list(dir, 100);
        assertEquals(List.of(".", "..", "f"), all.stream().map(DirEntry::name).sorted().toList());
        DirEntry dot = named(all, ".");
        DirEntry dotDot = named(all, "..");
        assertEquals(dir.getattr().ino(), dot.ino());
        assertEquals(parent.getattr().ino(), dotDot.ino());
        assertEquals(DT_DIR, dot.dtype());
        assertEquals(DT_DIR, dotDot.dtype());
    }

    @Test
    void emptyDirectoryListsOnlyDotAndDotDot() throws Exception {
        List<DirEntry> all = fx().list(fx().mkdir(fx().root(), "d"), 10);
        assertEquals(List.of(".", ".."), all.stream().map(DirEntry::name).sorted().toList(), "in any order");
    }

    private static DirEntry named(List<DirEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void entriesCarryTheirInodesAndTypes() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Map<String, Long> inos = new HashMap<>();
        inos.put("file", fx().touch(dir, "file").getattr().ino());
        inos.put("sub", fx().mkdir(dir, "sub").getattr().ino());
        inos.put("link", fx().symlink(dir, "link", "file").getattr().ino());
        Map<String, Integer> types = Map.of("file", DT_REG, "sub", DT_DIR, "link", DT_LNK);
        int seen = 0;
        for (DirEntry e : fx().list(dir, 100)) {
            if (inos.containsKey(e.name())) {
                assertEquals(inos.get(e.name()), e.ino(), e.name());
                assertEquals(types.get(e.name()), e.dtype(), e.name());
                seen++;
            }
        }
        assertEquals(3, seen);
    }

    @Test
    void tenThousandEntriesInPagesOf37AreListedOnce() throws Exception {
        Node dir = fx().mkdir(fx().root(), "big");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 10_000; i++) {
            String name = "entry-" + i;
            Node.Created created = dir.create(name, Dotl.O_WRONLY, 0644, fx().gid());
            created.file().close();
            created.node().close();
            expected.add(name);
        }
        List<DirEntry> all = fx().list(dir, 37);
        Set<String> seen = new HashSet<>();
        Set<Long> offsets = new HashSet<>();
        for (DirEntry e : all) {
            assertTrue(seen.add(e.name()), "listed twice: " + e.name());
            assertTrue(offsets.add(e.offset()), "offset reused: " + e.offset());
        }
        seen.remove(".");
        seen.remove("..");
        assertEquals(expected, new TreeSet<>(seen));
        assertEquals(10_002, all.size());
    }

    @Test
    void offsetsResumeAfterTheirEntry() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        for (int i = 0; i < 20; i++) {
            fx().touch(dir, "f" + i);
        }
        List<DirEntry> all = fx().list(dir, 1000);
        OpenFile listing = fx().open(dir, Dotl.O_RDONLY);
        for (int i = 0; i < all.size(); i++) {
            List<DirEntry> rest = page(listing, all.get(i).offset(), 1000);
            assertEquals(all.subList(i + 1, all.size()).stream().map(DirEntry::name).toList(),
                    rest.stream().map(DirEntry::name).toList(), "after entry " + i);
        }
    }

    @Test
    void aSinkThatTakesNothingStopsTheListing() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().touch(dir, "f");
        OpenFile listing = fx().open(dir, Dotl.O_RDONLY);
        List<DirEntry> offered = new ArrayList<>();
        listing.readdir(0, entry -> {
            offered.add(entry);
            return false;
        });
        assertEquals(1, offered.size(), "readdir stops at the first refusal");
        assertEquals(3, page(listing, 0, 100).size(), "and a refused entry is offered again from the same offset");
    }

    @Test
    void listingStaysStableWhileEntriesAreAddedAndRemoved() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Set<String> stable = new HashSet<>();
        List<String> doomed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = "e" + i;
            fx().touch(dir, name);
            if (i % 3 == 0) {
                doomed.add(name);
            } else {
                stable.add(name);
            }
        }
        OpenFile listing = fx().open(dir, Dotl.O_RDONLY);
        Set<String> seen = new HashSet<>();
        long offset = 0;
        int round = 0;
        while (true) {
            List<DirEntry> got = page(listing, offset, 37);
            if (got.isEmpty()) {
                break;
            }
            for (DirEntry e : got) {
                assertTrue(seen.add(e.name()), "listed twice: " + e.name());
            }
            offset = got.getLast().offset();
            // between pages: remove some entries (listed or not) and add new ones
            for (int k = 0; k < 5 && !doomed.isEmpty(); k++) {
                dir.unlinkAt(doomed.removeLast(), 0);
            }
            for (int k = 0; k < 3 && round < 20; k++) { // a bounded number, or the listing never ends
                String name = "new" + round + "-" + k;
                Node.Created created = dir.create(name, Dotl.O_WRONLY, 0644, fx().gid());
                created.file().close();
                created.node().close();
            }
            round++;
        }
        for (String name : stable) {
            assertTrue(seen.contains(name), "present throughout but missed: " + name);
        }
    }

    @Test
    void offsetOfTheLastEntryListsNothingMore() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().touch(dir, "only");
        List<DirEntry> all = fx().list(dir, 100);
        OpenFile listing = fx().open(dir, Dotl.O_RDONLY);
        assertEquals(List.of(), page(listing, all.getLast().offset(), 100));
    }

    @Test
    void aRemovedDirectoryListsNothing() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        OpenFile listing = fx().open(dir, Dotl.O_RDONLY);
        fx().root().unlinkAt("d", Dotl.AT_REMOVEDIR);
        // getdents(2) on a dead directory fails with ENOENT, which readdir(3) reports as the end: either will do
        try {
            assertEquals(List.of(), page(listing, 0, 100));
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT, e.errno());
        }
    }

    @Test
    void listingWithoutReadPermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node dir = fx().mkdir(fx().root(), "d");
        dir.setattr(ContractFixture.chmod(0711));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "d");
        assertErrno(Errno.EACCES, () -> fx().open(theirs, Dotl.O_RDONLY));
    }
}
