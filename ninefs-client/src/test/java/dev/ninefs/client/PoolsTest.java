// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tag and fid free lists, and the rules that say which requests make or end fids. */
class PoolsTest {

    @Test
    void tagsAreHandedOutOnceLowestFirstAndNeverNotag() {
        TagPool tags = new TagPool(0xffff);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 0xffff; i++) {
            int tag = tags.allocate();
            assertEquals(i, tag);
            assertTrue(seen.add(tag));
        }
        assertFalse(seen.contains(Message.NOTAG));
        assertEquals(-1, tags.allocate(), "exhausted");
        tags.release(17);
        assertEquals(17, tags.allocate(), "the last freed tag comes back first");
    }

    @Test
    void aTagReleasedTwiceIsABug() {
        TagPool tags = new TagPool(2);
        assertThrows(IllegalStateException.class, () -> tags.release(0));
        assertThrows(IllegalArgumentException.class, () -> new TagPool(0x10000));
    }

    @Test
    void fidNumbersAreReusedAfterRelease() throws Exception {
        FidPool fids = new FidPool();
        assertEquals(0, fids.allocate());
        assertEquals(1, fids.allocate());
        assertEquals(2, fids.allocate());
        fids.release(1);
        assertEquals(2, fids.inUse());
        assertEquals(1, fids.allocate());
        assertEquals(3, fids.allocate());
        for (int i = 4; i < 100; i++) {
            fids.allocate();
        }
        for (int i = 0; i < 100; i++) {
            fids.release(i);
        }
        assertEquals(0, fids.inUse());
    }

    @Test
    void requestsThatMakeAndEndFids() {
        assertEquals(5, FidPool.createdBy(new Message.Tattach(5, Message.NOFID, "u", "", 0)));
        assertEquals(6, FidPool.createdBy(new Message.Twalk(1, 6, List.of("a"))));
        assertEquals(-1, FidPool.createdBy(new Message.Twalk(6, 6, List.of("a"))), "in place: nothing new");
        assertEquals(7, FidPool.createdBy(new Message.Txattrwalk(1, 7, "user.x")));
        assertEquals(-1, FidPool.createdBy(new Message.Tlcreate(1, "f", 0, 0644, 0)));
        assertEquals(3, FidPool.endedBy(new Message.Tclunk(3)));
        assertEquals(4, FidPool.endedBy(new Message.Tremove(4)));
        assertEquals(-1, FidPool.endedBy(new Message.Tgetattr(4, 1)));
        assertFalse(FidPool.created(new Message.Rlerror(2)));
        assertTrue(FidPool.created(new Message.Rwalk(List.of(new Qid(0, 0, 1)))));
        assertTrue(FidPool.created(new Message.Rwalk(List.of())), "a partial walk is clunked, not forgotten");
    }

    @Test
    void pathsSplitIntoWalkNames() {
        assertEquals(List.of("a", "b", "c"), Walker.split("a/b/c"));
        assertEquals(List.of("a", "..", "b"), Walker.split("/a/./../b/"));
        assertEquals(List.of(), Walker.split(""));
        assertEquals(List.of(), Walker.split("/./"));
    }
}
