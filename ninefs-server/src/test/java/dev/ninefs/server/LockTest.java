// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** POSIX locks through Tlock/Tgetlock: owners on different connections conflict, the same owner does not. */
@Timeout(60)
class LockTest {

    @Test
    void locksFromTwoConnections() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> r.file("f", "0123456789")).build();
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", fs).build());
                RawClient a = s.client(); RawClient b = s.client()) {
            for (RawClient c : new RawClient[] {a, b}) {
                c.attach(0, "");
                c.walk(0, 1, "f");
                c.lopen(1, Dotl.O_RDWR);
            }
            // Both clients use proc_id 7 and the same client_id: the connection still tells them apart.
            assertEquals(Dotl.LOCK_SUCCESS, lock(a, Dotl.LOCK_TYPE_WRLCK, 0, 5));
            assertEquals(Dotl.LOCK_SUCCESS, lock(a, Dotl.LOCK_TYPE_WRLCK, 2, 2), "same owner never conflicts");
            assertEquals(Dotl.LOCK_BLOCKED, lock(b, Dotl.LOCK_TYPE_RDLCK, 4, 1));
            assertEquals(Dotl.LOCK_SUCCESS, lock(b, Dotl.LOCK_TYPE_WRLCK, 5, 0), "bytes 5.. are free");
            Rgetlock held = b.ok(new Tgetlock(1, Dotl.LOCK_TYPE_WRLCK, 0, 1, 7, "host"), Rgetlock.class);
            assertEquals(Dotl.LOCK_TYPE_WRLCK, held.lockType());
            assertEquals(7, held.procId());
            Rgetlock free = a.ok(new Tgetlock(1, Dotl.LOCK_TYPE_WRLCK, 0, 5, 7, "host"), Rgetlock.class);
            assertEquals(Dotl.LOCK_TYPE_UNLCK, free.lockType(), "a's own locks do not conflict with a");
            assertEquals(Dotl.LOCK_SUCCESS, lock(a, Dotl.LOCK_TYPE_UNLCK, 0, 0));
            assertEquals(Dotl.LOCK_SUCCESS, lock(b, Dotl.LOCK_TYPE_RDLCK, 0, 5));
            assertEquals(Errno.EINVAL, b.error(new Tlock(1, 9, 0, 0, 0, 7, "host")));
            b.walk(0, 2, "f");
            assertEquals(Errno.EBADF, b.error(new Tlock(2, Dotl.LOCK_TYPE_RDLCK, 0, 0, 0, 7, "host")), "not open");
        }
    }

    @Test
    void aClosedConnectionReleasesItsLocks() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().contents(r -> r.file("f", "x")).build();
        try (TestServer s = TestServer.tcp(NinefsServer.builder().export("", fs).build()); RawClient b = s.client()) {
            try (RawClient a = s.client()) {
                a.attach(0, "");
                a.walk(0, 1, "f");
                a.lopen(1, Dotl.O_RDWR);
                assertEquals(Dotl.LOCK_SUCCESS, lock(a, Dotl.LOCK_TYPE_WRLCK, 0, 0));
            }
            b.attach(0, "");
            b.walk(0, 1, "f");
            b.lopen(1, Dotl.O_RDWR);
            // The server notices the hang-up asynchronously: poll the lock, each try a full round trip.
            int status = Dotl.LOCK_BLOCKED;
            for (int i = 0; i < 10_000 && status == Dotl.LOCK_BLOCKED; i++) {
                status = lock(b, Dotl.LOCK_TYPE_WRLCK, 0, 0);
            }
            assertEquals(Dotl.LOCK_SUCCESS, status);
        }
    }

    private static int lock(RawClient c, int type, long start, long length) throws Exception {
        return c.ok(new Tlock(1, type, 0, start, length, 7, "host"), Rlock.class).status();
    }
}
