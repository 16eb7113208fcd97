// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight virtual threads create, write, link, rename and unlink files and directories under one small set of
 * names in one directory; afterwards the directory, the link counts and the space accounting must agree.
 */
class SynthConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPERATIONS = 3000;
    private static final int NAMES = 24;
    /** What racing callers may legitimately be told. */
    private static final Set<Errno> EXPECTED = EnumSet.of(Errno.ENOENT, Errno.EEXIST, Errno.EISDIR, Errno.ENOTDIR,
            Errno.ENOTEMPTY, Errno.EPERM);

    private final SynthFileSystem fs = SynthFileSystem.builder().build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hammeringOneDirectoryLeavesItConsistent() throws Exception {
        try (Node root = fs.attach(new User(0, "root")); Node dir = root.mkdir("d", 0755, 0)) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = t;
                    done.add(pool.submit(() -> hammer(dir, new Random(seed))));
                }
                int succeeded = 0;
                for (Future<Integer> f : done) {
                    succeeded += f.get();
                }
                assertTrue(succeeded > THREADS * OPERATIONS / 10, "too few operations succeeded: " + succeeded);
            }
            checkConsistent(dir);
            for (DirEntry e : list(dir)) {
                dir.unlinkAt(e.name(), e.dtype() == 4 ? Dotl.AT_REMOVEDIR : 0);
            }
            assertEquals(0, fs.store.space.used(), "every byte given back");
            assertEquals(2, fs.store.space.inodes(), "only the root and the directory are left");
            assertEquals(2, dir.getattr().nlink());
        }
    }

    private static int hammer(Node dir, Random random) throws Exception {
        int succeeded = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            String name = "n" + random.nextInt(NAMES);
            String other = "n" + random.nextInt(NAMES);
            try {
                switch (random.nextInt(8)) {
                    case 0, 1 -> {
                        Node.Created c = dir.create(name, Dotl.O_RDWR, 0644, 0);
                        try (OpenFile file = c.file()) {
                            file.write(random.nextInt(200_000), ByteBuffer.allocate(1 + random.nextInt(70_000)));
                        } finally {
                            c.node().close();
                        }
                    }
                    case 2 -> dir.mkdir(name, 0755, 0).close();
                    case 3 -> dir.renameAt(name, dir, other);
                    case 4 -> dir.unlinkAt(name, 0);
                    case 5 -> dir.unlinkAt(name, Dotl.AT_REMOVEDIR);
                    case 6 -> {
                        try (Node target = dir.walk(name)) {
                            dir.link(other, target);
                        }
                    }
                    default -> {
                        try (Node node = dir.walk(name); OpenFile file = node.open(Dotl.O_RDWR)) {
                            file.write(random.nextInt(100_000), ByteBuffer.allocate(random.nextInt(10_000)));
                            file.read(0, ByteBuffer.allocate(4096));
                        }
                    }
                }
                succeeded++;
            } catch (ErrnoException e) {
                if (!EXPECTED.contains(e.errno())) {
                    throw new AssertionError("unexpected " + e.errno() + " at operation " + i, e);
                }
            }
        }
        return succeeded;
    }

    private void checkConsistent(Node dir) throws Exception {
        List<DirEntry> entries = list(dir);
        Set<String> names = new HashSet<>();
        Map<Long, Integer> namesPerIno = new HashMap<>();
        Map<Long, Attr> attrs = new HashMap<>();
        int subdirs = 0;
        for (DirEntry e : entries) {
            assertTrue(names.add(e.name()), "listed twice: " + e.name());
            try (Node node = dir.walk(e.name())) {
                Attr attr = node.getattr();
                assertEquals(e.ino(), attr.ino(), e.name());
                assertEquals(attr.mode() >>> 12 & 017, e.dtype(), e.name());
                namesPerIno.merge(attr.ino(), 1, Integer::sum);
                attrs.put(attr.ino(), attr);
                if (e.dtype() == 4) {
                    subdirs++;
                    assertEquals(2, attr.nlink(), "an empty subdirectory " + e.name());
                }
            }
        }
        for (var ino : namesPerIno.entrySet()) {
            Attr attr = attrs.get(ino.getKey());
            if ((attr.mode() & 0170000) != 0040000) {
                assertEquals((long) ino.getValue(), attr.nlink(), "links of inode " + ino.getKey());
            }
        }
        assertEquals(2 + subdirs, dir.getattr().nlink());
        long allocated = attrs.values().stream().mapToLong(a -> a.blocks() * 512).sum();
        assertEquals(allocated, fs.store.space.used(), "space held equals the files' blocks");
        assertEquals(2 + attrs.size(), fs.store.space.inodes(), "inodes counted");
    }

    private static List<DirEntry> list(Node dir) throws Exception {
        List<DirEntry> all = new ArrayList<>();
        try (OpenFile listing = dir.open(Dotl.O_RDONLY)) {
            long offset = 0;
            while (true) {
                List<DirEntry> page = new ArrayList<>();
                listing.readdir(offset, e -> page.size() < 37 && page.add(e));
                if (page.isEmpty()) {
                    return all.stream().filter(e -> !e.name().equals(".") && !e.name().equals("..")).toList();
                }
                all.addAll(page);
                offset = page.getLast().offset();
            }
        }
    }
}
