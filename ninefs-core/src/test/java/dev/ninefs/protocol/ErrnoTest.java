// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void linuxNumbersRoundTrip() {
        for (Errno e : Errno.values()) {
            assertEquals(e, Errno.of(e.code()));
        }
        assertEquals(2, Errno.ENOENT.code());
        assertEquals(95, Errno.EOPNOTSUPP.code());
    }

    @Test
    void unknownNumbersBecomeEio() {
        assertEquals(Errno.EIO, Errno.of(0));
        assertEquals(Errno.EIO, Errno.of(-3));
        assertEquals(Errno.EIO, Errno.of(4000));
        assertFalse(Errno.known(41));
    }
}
