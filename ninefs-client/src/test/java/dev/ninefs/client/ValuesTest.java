// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The value types: what AttrUpdate sends, what FileAttr reads, what options accept. */
class ValuesTest {

    @Test
    void attrUpdateSetsOnlyTheBitsOfWhatChanges() {
        assertEquals(new Message.Tsetattr(3, Dotl.SETATTR_MODE, 0640, 0, 0, 0, 0, 0, 0, 0),
                AttrUpdate.mode(0640).toRequest(3));
        assertEquals(new Message.Tsetattr(3, Dotl.SETATTR_GID, 0, 0, 42, 0, 0, 0, 0, 0),
                AttrUpdate.owner(-1, 42).toRequest(3));
        Instant m = Instant.ofEpochSecond(1_700_000_000L, 5);
        assertEquals(new Message.Tsetattr(3, Dotl.SETATTR_SIZE | Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET, 0, 0, 0,
                10, 0, 0, 1_700_000_000L, 5), AttrUpdate.size(10).withTimes(null, m).toRequest(3));
        assertEquals(Dotl.SETATTR_ATIME | Dotl.SETATTR_MTIME, AttrUpdate.touch().valid(),
                "touch sets the server's now: no *_SET bits");
    }

    @Test
    void fileAttrReadsTypesTimesAndDeviceNumbers() {
        long rdev = (8L << 8) | 0x34 | ((0x1234L & ~0xffL) << 12); // makedev(8, 0x1234)
        Message.Rgetattr r = new Message.Rgetattr(Dotl.GETATTR_ALL, new Qid(0, 0, 9), FileAttr.S_IFBLK | 0660,
                0xffffffff, 6, 1, rdev, 0, 4096, 0, 1, 2, 3, 999_999_999, 5, 6, 7, 8, 9, 10);
        FileAttr a = FileAttr.of(r);
        assertEquals(FileAttr.S_IFBLK, a.fileType());
        assertEquals(0660, a.permissions());
        assertEquals(4294967295L, a.uid(), "u32 ids are unsigned");
        assertEquals(8, a.rdevMajor());
        assertEquals(0x1234, a.rdevMinor());
        assertEquals(Instant.ofEpochSecond(3, 999_999_999), a.mtime());
        assertTrue(a.has(Dotl.GETATTR_BTIME));
        assertFalse(a.isDirectory());
    }

    @Test
    void optionsRefuseNonsense() {
        ClientOptions d = ClientOptions.defaults();
        assertEquals(1 << 20, d.msize());
        assertThrows(IllegalArgumentException.class, () -> d.withMsize(100));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxInFlight(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxInFlight(40_000));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeout(Duration.ofSeconds(-1)));
        assertEquals(Duration.ZERO, d.withTimeout(Duration.ZERO).timeout());
    }
}
