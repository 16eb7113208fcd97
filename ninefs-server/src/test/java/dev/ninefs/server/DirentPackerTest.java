// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import dev.ninefs.qid.QidMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirentPackerTest {
    /** qid[13] offset[8] type[1] name length[2]. */
    private static final int FIXED = 24;

    private static DirEntry entry(String name, long ino) {
        return new DirEntry(name, 1, ino, Dirent.DT_REG, ino * 10);
    }

    /** A mapper that refuses the entry named "bad", made while listing ({@code early}) or after it. */
    private static QidMapper refusingBad(boolean early) {
        return new QidMapper() {
            @Override
            public Qid qid(FileId id) {
                return new Qid(Qid.QTFILE, 0, id.ino());
            }

            @Override
            public Qid entry(Node dir, DirEntry e) throws ErrnoException {
                if (e.name().equals("bad")) {
                    throw new ErrnoException(Errno.ENODEV, "bad");
                }
                return qid(QidMapper.listed(e));
            }

            @Override
            public boolean entryFromListing() {
                return early;
            }
        };
    }

    private static List<String> names(List<Dirent> dirents) {
        return dirents.stream().map(Dirent::name).toList();
    }

    @Test
    void takesWholeEntriesUntilTheCountIsFullWithTheListingsQids() throws ErrnoException {
        DirentPacker p = new DirentPacker(2 * (FIXED + 2), QidMapper.inodes(), null);
        assertTrue(p.accept(entry("aa", 5)));
        assertTrue(p.accept(entry("bb", 6)));
        assertFalse(p.accept(entry("c", 7)), "no room left, not even for a shorter name");
        List<Dirent> got = p.reply().entries();
        assertEquals(List.of("aa", "bb"), names(got));
        assertEquals(new Qid(Qid.QTFILE, 0, 6), got.get(1).qid());
        assertEquals(60, got.get(1).offset());
        assertEquals(Dirent.DT_REG, got.get(1).dtype());
    }

    @Test
    void aFirstEntryThatDoesNotFitIsEinvalNotTheEndOfTheDirectory() {
        DirentPacker p = new DirentPacker(FIXED + 3, QidMapper.inodes(), null);
        assertFalse(p.accept(entry("long", 5)));
        ErrnoException e = assertThrows(ErrnoException.class, p::reply);
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void anEmptyListingIsAnEmptyReply() throws ErrnoException {
        assertEquals(List.of(), new DirentPacker(8192, QidMapper.inodes(), null).reply().entries());
    }

    @Test
    void anEntryWithoutAQidEndsTheReplyBeforeItWhenQidsComeAfterTheListing() throws ErrnoException {
        DirentPacker p = new DirentPacker(8192, refusingBad(false), null);
        for (String name : new String[] {"a", "bad", "c"}) {
            assertTrue(p.accept(entry(name, 1)), "the backend lists on: qids come later");
        }
        assertEquals(List.of("a"), names(p.reply().entries()));
    }

    @Test
    void anEntryWithoutAQidEndsTheListingWhenQidsComeWhileListing() throws ErrnoException {
        DirentPacker p = new DirentPacker(8192, refusingBad(true), null);
        assertTrue(p.accept(entry("a", 1)));
        assertFalse(p.accept(entry("bad", 2)), "the listing stops at the entry without a qid");
        assertEquals(List.of("a"), names(p.reply().entries()));
    }

    @Test
    void aFirstEntryWithoutAQidMakesItsErrorTheReplyEitherWay() {
        for (boolean early : new boolean[] {true, false}) {
            DirentPacker p = new DirentPacker(8192, refusingBad(early), null);
            p.accept(entry("bad", 1));
            p.accept(entry("c", 2));
            ErrnoException e = assertThrows(ErrnoException.class, p::reply, "early " + early);
            assertEquals(Errno.ENODEV, e.errno());
        }
    }
}
