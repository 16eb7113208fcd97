// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.protocol.Dotl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The listing cache of a local export, through the backend SPI: a cached listing is exactly the uncached one,
 * resumes at every cookie as the file system does, is never kept across a change, and keeps its bounds.
 */
@Timeout(120)
class ListingCacheTest {
    /** More than one getdents64 buffer of these names: large enough to be cached. */
    static final int LARGE = 1500;

    @TempDir
    Path dir;

    static void fill(Path d, int n) throws Exception {
        Files.createDirectories(d);
        for (int i = 0; i < n; i++) {
            Files.createFile(d.resolve(String.format("entry-%05d", i)));
        }
    }

    static LocalFileSystem open(Path root, SecurityModel model, boolean cached) {
        return LocalFileSystem.open(root, LocalOptions.of(model).withReaddirCache(cached));
    }

    /** One readdir call from {@code offset} taking at most {@code max} entries. */
    static List<DirEntry> page(OpenFile d, long offset, int max) throws Exception {
        List<DirEntry> got = new ArrayList<>();
        d.readdir(offset, e -> got.size() < max && got.add(e));
        return got;
    }

    static List<DirEntry> list(Node dir) throws Exception {
        try (OpenFile d = dir.open(Dotl.O_RDONLY)) {
            return page(d, 0, Integer.MAX_VALUE);
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void aCachedListingIsTheUncachedOneEntryForEntry(SecurityModel model) throws Exception {
        Path big = dir.resolve("big");
        fill(big, LARGE);
        Files.createDirectory(big.resolve("sub"));
        Files.createSymbolicLink(big.resolve("link"), Path.of("entry-00001"));
        try (LocalFileSystem on = open(dir, model, true); LocalFileSystem off = open(dir, model, false);
                Node a = on.attach(USER); Node b = off.attach(USER); Node da = a.walk("big"); Node db = b.walk("big")) {
            // Made through the export: under the mapped models a host regular file whose recorded type is a symlink
            // (the listing maps its d_type), and under mapped-file the metadata directory in big/ (hidden).
            db.symlink("made-link", "entry-00002", LocalFixture.GID).close();
            List<DirEntry> uncached = list(db);
            List<DirEntry> filled = list(da);
            List<DirEntry> served = list(da);
            assertEquals(uncached, filled);
            assertEquals(uncached, served);
            assertEquals(LARGE + 5, served.size(), "entries, sub, link, made-link, . and ..");
            assertEquals(Linux.DT_LNK, served.stream().filter(e -> e.name().equals("made-link")).findFirst()
                    .orElseThrow().dtype());
            assertEquals(model == SecurityModel.MAPPED_FILE, Files.exists(big.resolve(MappedFile.META_DIR)));
            assertEquals(1, on.listings().stats().hits(), "the second listing came from the cache");
            assertNull(off.listings(), "readdir_cache=off makes no cache");
        }
    }

    @Test
    void readdirCacheIsAnOnOffExportOptionThatDefaultsToOn() {
        assertTrue(LocalOptions.fromMap(Map.of("security_model", "none")).readdirCache());
        assertFalse(LocalOptions.fromMap(Map.of("security_model", "none", "readdir_cache", "off")).readdirCache());
        assertTrue(LocalOptions.fromMap(Map.of("security_model", "none", "readdir_cache", "on")).readdirCache());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromMap(Map.of("security_model", "none", "readdir_cache", "maybe")));
        assertTrue(bad.getMessage().contains("readdir_cache"), bad.getMessage());
    }

    @Test
    void theRootsDotDotIsTheRootWhenCachedToo() throws Exception {
        fill(dir, LARGE);
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH, true); Node root = fs.attach(USER)) {
            list(root);
            List<DirEntry> served = list(root);
            assertEquals(1, fs.listings().stats().hits());
            long rootIno = root.getattr().ino();
            assertEquals(rootIno, served.stream().filter(e -> e.name().equals("..")).findFirst().orElseThrow().ino());
        }
    }

    @Test
    void everyCookieResumesAsTheFileSystemResumesIt() throws Exception {
        fill(dir.resolve("big"), LARGE);
        try (LocalFileSystem on = open(dir, SecurityModel.PASSTHROUGH, true);
                LocalFileSystem off = open(dir, SecurityModel.PASSTHROUGH, false); Node a = on.attach(USER);
                Node b = off.attach(USER); Node da = a.walk("big"); Node db = b.walk("big");
                OpenFile cached = da.open(Dotl.O_RDONLY); OpenFile plain = db.open(Dotl.O_RDONLY)) {
            List<DirEntry> all = page(cached, 0, Integer.MAX_VALUE);
            long hits = on.listings().stats().hits();
            for (int i = 0; i < all.size(); i += 7) {
                long cookie = all.get(i).offset();
                assertEquals(page(plain, cookie, 50), page(cached, cookie, 50), "after entry " + i);
            }
            assertEquals(hits + (all.size() + 6) / 7, on.listings().stats().hits(), "each resumed from the cache");
            // A cookie no entry has: the file system decides, as without a cache.
            long odd = all.get(3).offset() + 1;
            assertEquals(page(plain, odd, 50), page(cached, odd, 50));
        }
    }

    @Test
    void aSmallDirectoryIsNotCached() throws Exception {
        fill(dir.resolve("small"), 100);
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH, true); Node root = fs.attach(USER);
                Node small = root.walk("small")) {
            list(small);
            list(small);
            assertEquals(new ListingCache.Stats(0, 0, 0, 0, 0, 0), fs.listings().stats());
        }
    }

    @Test
    void aFileSystemOffTheAllowlistIsNeverCached() throws Exception {
        fill(dir.resolve("big"), LARGE);
        ListingCache none = new ListingCache(ListingCache.DEFAULT_MAX_BYTES, Set.of());
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH), none);
                Node root = fs.attach(USER); Node big = root.walk("big")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(LARGE + 2, list(big).size());
            }
            assertEquals(new ListingCache.Stats(0, 0, 0, 0, 0, 0), none.stats());
        }
    }

    @Test
    void onlyLocalFileSystemTypesAreCacheable() throws Exception {
        ListingCache cache = new ListingCache(ListingCache.DEFAULT_MAX_BYTES, ListingCache.LOCAL_TYPES);
        for (int local : new int[] {0xEF53, 0x58465342, (int) 0x9123683EL, 0x01021994, (int) 0xF2F52010L}) {
            assertTrue(cache.cacheable(local), Integer.toHexString(local));
        }
        // NFS, FUSE, overlayfs, 9p, CIFS, ceph, sysfs, procfs
        for (int other : new int[] {0x6969, 0x65735546, 0x794c7630, 0x01021997, (int) 0xFF534D42L, 0x00c36400,
                0x62656572, 0x9fa0}) {
            assertFalse(cache.cacheable(other), Integer.toHexString(other));
        }
        // And the real statfs of a file system that is not on the list: sysfs.
        int sys = Posix.openat(Linux.AT_FDCWD, "/sys/kernel", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        int tmp = Posix.openat(Linux.AT_FDCWD, dir.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        try (cache) {
            assertNull(cache.begin(new FileKey(1, 1), sys));
            assertNotNull(cache.begin(new FileKey(2, 2), tmp), "the temporary directory is on a local file system");
        } finally {
            Posix.close(sys);
            Posix.close(tmp);
        }
    }

    @Test
    void aFillThatAChangeOvertakesIsNotKept() throws Exception {
        fill(dir, 10);
        int fd = Posix.openat(Linux.AT_FDCWD, dir.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        try (ListingCache cache = new ListingCache(ListingCache.DEFAULT_MAX_BYTES, ListingCache.LOCAL_TYPES)) {
            FileKey key = new FileKey(7, 7);
            ListingCache.Ticket ticket = cache.begin(key, fd);
            Listing read = new Listing(List.of(new DirEntry("x", 7, 1, 8, 1)));
            Files.createFile(dir.resolve("made-while-reading"));
            cache.store(ticket, read);
            assertNull(cache.get(key), "the listing may miss the new file");
            ListingCache.Ticket again = cache.begin(key, fd);
            cache.store(again, read);
            assertNotNull(cache.get(key), "nothing changed during this fill");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void theLeastRecentlyUsedListingGoesWhenTheBoundIsReached() throws Exception {
        for (String d : List.of("a", "b", "c")) {
            fill(dir.resolve(d), LARGE);
        }
        fill(dir.resolve("huge"), 3 * LARGE);
        long one = new Listing(List.of(new DirEntry("entry-00000", 0, 0, 8, 0))).bytes() * (LARGE + 2);
        ListingCache cache = new ListingCache(2 * one + one / 2, ListingCache.LOCAL_TYPES);
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.PASSTHROUGH), cache);
                Node root = fs.attach(USER); Node a = root.walk("a"); Node b = root.walk("b");
                Node c = root.walk("c"); Node huge = root.walk("huge")) {
            list(a);
            list(b);
            assertEquals(2, cache.stats().listings());
            list(a); // a is now the most recently used
            list(c);
            ListingCache.Stats s = cache.stats();
            assertEquals(2, s.listings(), s.toString());
            assertTrue(s.bytes() <= 2 * one + one / 2, s.toString());
            assertEquals(2, s.watches(), "b went with its watch");
            long hits = s.hits();
            list(a);
            assertEquals(hits + 1, cache.stats().hits(), "a stayed");
            list(b);
            assertEquals(hits + 1, cache.stats().hits(), "b was evicted: filled again");
            list(huge);
            list(huge);
            assertTrue(cache.stats().bytes() <= 2 * one + one / 2, "larger than the bound alone: not kept");
            assertEquals(hits + 1, cache.stats().hits());
        }
    }

    /**
     * Listings race a host process adding files: every file whose creation returned before a listing began is in
     * that listing (the drain before serving sees its event), whichever request filled or served the cache.
     */
    @Test
    void aListingNeverMissesAFileCreatedBeforeItBegan() throws Exception {
        Path big = dir.resolve("big");
        fill(big, LARGE);
        int readers = 3;
        AtomicInteger created = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Semaphore listed = new Semaphore(0);
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH, true); Node root = fs.attach(USER);
                ExecutorService pool = Executors.newFixedThreadPool(readers)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                results.add(pool.submit(() -> {
                    int listings = 0;
                    try (Node d = root.walk("big")) {
                        while (!done.get()) {
                            int before = created.get();
                            Set<String> names = new HashSet<>();
                            list(d).forEach(e -> names.add(e.name()));
                            for (int i = 0; i < before; i++) {
                                assertTrue(names.contains("new-" + i), "listing lost new-" + i + " of " + before);
                            }
                            listings++;
                            listed.release();
                        }
                    } finally {
                        listed.release(1000); // a failed reader must not leave the writer waiting
                    }
                    return listings;
                }));
            }
            for (int i = 0; i < 100; i++) {
                Files.createFile(big.resolve("new-" + i));
                created.set(i + 1);
                // Some listings between the changes, so that the cache is filled and served, not only dropped.
                listed.acquire(2 * readers);
            }
            done.set(true);
            for (Future<Integer> f : results) {
                assertTrue(f.get() > 0);
            }
            assertTrue(fs.listings().stats().hits() > 0, fs.listings().stats().toString());
        }
    }
}
