// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.lang.System.Logger.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three multidevs policies as mappers: what each hands out, refuses and logs. */
@Timeout(30)
class QidPoliciesTest {
    private static final long ROOT_DEV = 0x801, OTHER_DEV = 0x2d;

    private static FileId file(long dev, long ino) {
        return new FileId(dev, ino, FileId.S_IFREG | 0644, 77);
    }

    @Test
    void parseNamesTheValidValues() {
        assertEquals(Multidevs.REMAP, Multidevs.parse("remap"));
        assertEquals(Multidevs.FORBID, Multidevs.parse("forbid"));
        assertEquals(Multidevs.WARN, Multidevs.parse("warn"));
        for (String bad : new String[] {"", "Remap", "on", "remap "}) {
            String message = assertThrows(IllegalArgumentException.class, () -> Multidevs.parse(bad)).getMessage();
            assertTrue(message.contains("multidevs=" + bad) && message.contains("remap, forbid, warn"), message);
        }
        assertEquals("forbid", Multidevs.FORBID.option());
    }

    @Test
    void warnGivesRawInodesAndWarnsOnceNamingTheExportAndRemap() throws Exception {
        RecordingLogger log = new RecordingLogger();
        QidMapper warn = Multidevs.WARN.mapper("warn-export", log);
        assertEquals(new Qid(Qid.QTDIR, 9, 2), warn.root(new FileId(ROOT_DEV, 2, FileId.S_IFDIR | 0755, 9)));
        assertEquals(5, warn.qid(file(ROOT_DEV, 5)).path());
        assertTrue(log.messages(Level.WARNING).isEmpty(), "nothing on the root's device");

        // Many threads meet other devices at once: still exactly one warning.
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                long dev = OTHER_DEV + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 1000; i++) {
                        assertEquals(5, warn.qid(file(dev, 5)).path(), "raw inode numbers under warn");
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.contains("'warn-export'") && w.contains("multidevs=remap") && w.contains("8:1"), w);
    }

    @Test
    void forbidRefusesOtherDevicesWithEnodevButListsTheirNames() throws Exception {
        RecordingLogger log = new RecordingLogger();
        QidMapper forbid = Multidevs.FORBID.mapper("forbid-export", log);
        forbid.root(new FileId(ROOT_DEV, 2, FileId.S_IFDIR | 0755, 0));
        assertEquals(7, forbid.qid(file(ROOT_DEV, 7)).path());
        for (int i = 0; i < 3; i++) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> forbid.qid(file(OTHER_DEV, 7)));
            assertEquals(Errno.ENODEV, e.errno());
        }
        assertEquals(1, log.messages(Level.WARNING).size(), "the refusal is logged once");
        // A listing entry keeps its raw inode number, whatever device it claims.
        Qid listed = forbid.entry(null, new DirEntry("mnt", OTHER_DEV, 7, 4, 1));
        assertEquals(new Qid(Qid.QTDIR, 0, 7), listed);
    }

    @Test
    void theRootLearntAtAttachIsTheReferenceDevice() throws Exception {
        QidMapper forbid = Multidevs.FORBID.mapper("order", new RecordingLogger());
        forbid.root(file(ROOT_DEV, 2));
        assertThrows(ErrnoException.class, () -> forbid.qid(file(OTHER_DEV, 3)));
        // Without an attach, the first file seen is the reference.
        QidMapper bare = Multidevs.FORBID.mapper("bare", new RecordingLogger());
        bare.qid(file(OTHER_DEV, 3));
        assertThrows(ErrnoException.class, () -> bare.qid(file(ROOT_DEV, 3)));
    }

    @Test
    void remapSeparatesEqualInodesAndKeepsHardLinksTypesAndVersions() throws Exception {
        QidMapper remap = Multidevs.REMAP.mapper("remap-export", new RecordingLogger());
        Qid root = remap.root(new FileId(ROOT_DEV, 2, FileId.S_IFDIR | 0755, 3));
        assertEquals(new Qid(Qid.QTDIR, 3, 2 * 2 + 1), root, "the root device's code is the single bit 1");
        Qid a = remap.qid(file(ROOT_DEV, 12));
        Qid b = remap.qid(file(OTHER_DEV, 12));
        assertNotEquals(a.path(), b.path());
        assertEquals(a, remap.qid(file(ROOT_DEV, 12)), "a second name of the same inode: same qid");
        assertEquals(77, b.version());
        assertEquals(Qid.QTSYMLINK, remap.qid(new FileId(OTHER_DEV, 13, FileId.S_IFLNK | 0777, 0)).type());
        Qid high = remap.qid(file(OTHER_DEV, Long.MIN_VALUE | 12));
        assertTrue(high.path() < 0, "bit 63 set: the range path");
        assertEquals(high, remap.qid(file(OTHER_DEV, Long.MIN_VALUE | 12)));
        assertEquals(2, ((RemapQidMapper) remap).paths().devices());
        assertEquals(1, ((RemapQidMapper) remap).paths().ranges());
    }

    @Test
    void remapListsEachEntryWithTheQidAWalkGives() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().build();
        fs.populate(t -> t.file("f", "data"));
        QidMapper remap = Multidevs.REMAP.mapper("listing", new RecordingLogger());
        try (Node root = fs.attach(new User(0, "root"))) {
            remap.root(root.fileId());
            Qid walked;
            try (Node f = root.walk("f")) {
                walked = remap.qid(f.fileId());
            }
            // The listing claims another device: the entry's own identity wins, as a walk sees it.
            Qid listed = remap.entry(root, new DirEntry("f", OTHER_DEV, walked.path() + 1, 8, 3));
            assertEquals(walked.path(), listed.path());
            assertEquals(remap.root(root.fileId()).path(), remap.entry(root, new DirEntry(".", 1, 1, 4, 1)).path());
            // An entry that is gone by now keeps what the listing said.
            Qid gone = remap.entry(root, new DirEntry("gone", fs.dev(), 99, 8, 4));
            assertEquals(remap.qid(new FileId(fs.dev(), 99, FileId.S_IFREG, 0)).path(), gone.path());
        } finally {
            fs.close();
        }
    }
}
