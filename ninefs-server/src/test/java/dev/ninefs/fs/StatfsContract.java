// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** statfs. */
abstract class StatfsContract extends LockContract {

    @Test
    void statfsNumbersArePlausible() throws Exception {
        StatFs s = fx().root().statfs();
        assertTrue(s.bsize() > 0, "bsize");
        assertTrue(s.blocks() > 0, "blocks");
        assertTrue(s.bfree() >= 0 && s.bfree() <= s.blocks(), "bfree");
        assertTrue(s.bavail() >= 0 && s.bavail() <= s.bfree(), "bavail");
        assertTrue(s.ffree() <= s.files(), "ffree");
        assertTrue(s.namelen() >= 255, "namelen");
    }

    @Test
    void statfsIsTheSameFromEveryFile() throws Exception {
        StatFs fromRoot = fx().root().statfs();
        StatFs fromFile = fx().touch(fx().mkdir(fx().root(), "d"), "f").statfs();
        assertEquals(fromRoot.fsid(), fromFile.fsid());
        assertEquals(fromRoot.blocks(), fromFile.blocks());
        assertEquals(fromRoot.bsize(), fromFile.bsize());
    }

    @Test
    void freeSpaceFallsAsDataIsWritten() throws Exception {
        fx().require(Feature.STATFS_ACCOUNTING);
        StatFs before = fx().root().statfs();
        byte[] data = new byte[8 << 20];
        new Random(1).nextBytes(data);
        OpenFile file = fx().create(fx().root(), "big", Dotl.O_RDWR, 0644).file();
        ContractFixture.writeFully(file, 0, data);
        file.fsync(false);
        StatFs after = fx().root().statfs();
        long freedBytes = (before.bfree() - after.bfree()) * before.bsize();
        assertTrue(freedBytes >= 4 << 20, "free space fell by " + freedBytes + " bytes only");
    }
}
