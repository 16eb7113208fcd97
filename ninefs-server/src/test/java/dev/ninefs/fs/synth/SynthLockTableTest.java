// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static dev.ninefs.protocol.Dotl.LOCK_TYPE_RDLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_UNLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_WRLCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.synth.LockTable.Held;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The range arithmetic of byte-range locks: splitting, merging, conflicts. */
class SynthLockTableTest {
    private static final LockOwner A = new LockOwner(1, 1, "a");
    private static final LockOwner B = new LockOwner(2, 2, "b");
    private static final long EOF = LockTable.EOF;

    private final LockTable table = new LockTable();

    private List<Held> of(LockOwner owner) {
        return table.held().stream().filter(h -> h.owner().equals(owner))
                .sorted(Comparator.comparingLong(Held::start)).toList();
    }

    private static Held held(LockOwner owner, int type, long start, long end) {
        return new Held(owner, type, start, end);
    }

    @Test
    void unlockInTheMiddleSplitsOneLockInTwo() {
        table.set(A, LOCK_TYPE_WRLCK, 0, 99);
        table.set(A, LOCK_TYPE_UNLCK, 40, 59);
        assertEquals(List.of(held(A, LOCK_TYPE_WRLCK, 0, 39), held(A, LOCK_TYPE_WRLCK, 60, 99)), of(A));
    }

    @Test
    void adjacentAndOverlappingLocksOfOneTypeMerge() {
        table.set(A, LOCK_TYPE_RDLCK, 0, 9);
        table.set(A, LOCK_TYPE_RDLCK, 20, 29);
        table.set(A, LOCK_TYPE_RDLCK, 10, 19);
        assertEquals(List.of(held(A, LOCK_TYPE_RDLCK, 0, 29)), of(A));
        table.set(A, LOCK_TYPE_RDLCK, 25, EOF);
        assertEquals(List.of(held(A, LOCK_TYPE_RDLCK, 0, EOF)), of(A));
    }

    @Test
    void aDifferentTypeInTheMiddleSplitsIntoThree() {
        table.set(A, LOCK_TYPE_RDLCK, 0, 99);
        table.set(A, LOCK_TYPE_WRLCK, 40, 59);
        assertEquals(List.of(held(A, LOCK_TYPE_RDLCK, 0, 39), held(A, LOCK_TYPE_WRLCK, 40, 59),
                held(A, LOCK_TYPE_RDLCK, 60, 99)), of(A));
        table.set(A, LOCK_TYPE_RDLCK, 40, 59);
        assertEquals(List.of(held(A, LOCK_TYPE_RDLCK, 0, 99)), of(A), "back to one lock");
    }

    @Test
    void upgradeCoveringSeveralLocksReplacesThem() {
        table.set(A, LOCK_TYPE_RDLCK, 0, 9);
        table.set(A, LOCK_TYPE_RDLCK, 20, 29);
        table.set(A, LOCK_TYPE_WRLCK, 5, 25);
        assertEquals(List.of(held(A, LOCK_TYPE_RDLCK, 0, 4), held(A, LOCK_TYPE_WRLCK, 5, 25),
                held(A, LOCK_TYPE_RDLCK, 26, 29)), of(A));
    }

    @Test
    void locksTouchingAtZeroAndAtTheEndDoNotOverflow() {
        table.set(A, LOCK_TYPE_WRLCK, 0, 0);
        table.set(A, LOCK_TYPE_WRLCK, EOF, EOF);
        table.set(A, LOCK_TYPE_WRLCK, 1, EOF - 1);
        assertEquals(List.of(held(A, LOCK_TYPE_WRLCK, 0, EOF)), of(A));
    }

    @Test
    void conflictsOnlyBetweenOwnersAndOnlyWithAWriter() {
        table.set(A, LOCK_TYPE_RDLCK, 0, 9);
        assertNull(table.conflict(B, LOCK_TYPE_RDLCK, 0, 9));
        assertEquals(held(A, LOCK_TYPE_RDLCK, 0, 9), table.conflict(B, LOCK_TYPE_WRLCK, 5, 5));
        assertNull(table.conflict(A, LOCK_TYPE_WRLCK, 0, 9));
        assertNull(table.conflict(B, LOCK_TYPE_WRLCK, 10, EOF));
        assertFalse(table.set(B, LOCK_TYPE_WRLCK, 9, 20));
        assertTrue(of(B).isEmpty(), "a refused lock changes nothing");
    }

    @Test
    void unlockOfAnotherOwnerLeavesTheLocksAlone() {
        table.set(A, LOCK_TYPE_WRLCK, 0, 9);
        assertTrue(table.set(B, LOCK_TYPE_UNLCK, 0, EOF));
        assertEquals(1, of(A).size());
    }

    @Test
    void releaseDropsEveryLockOfTheOwner() {
        table.set(A, LOCK_TYPE_WRLCK, 0, 9);
        table.set(A, LOCK_TYPE_RDLCK, 20, 29);
        table.set(B, LOCK_TYPE_RDLCK, 20, 29);
        table.release(A);
        assertTrue(of(A).isEmpty());
        assertEquals(1, of(B).size());
    }

    /** Random operations checked byte by byte against a plain array model. */
    @Test
    void randomOperationsMatchAByteModel() {
        Random random = new Random(12345);
        int size = 64;
        int[] model = new int[size]; // per byte: -1 none, else type
        Arrays.fill(model, -1);
        for (int step = 0; step < 5000; step++) {
            int type = random.nextInt(3);
            int start = random.nextInt(size);
            int end = start + random.nextInt(size - start);
            table.set(A, type, start, end);
            for (int i = start; i <= end; i++) {
                model[i] = type == LOCK_TYPE_UNLCK ? -1 : type;
            }
            List<Held> held = of(A);
            int[] actual = new int[size];
            Arrays.fill(actual, -1);
            for (int i = 0; i < held.size(); i++) {
                Held h = held.get(i);
                if (i > 0) {
                    Held prev = held.get(i - 1);
                    assertTrue(prev.end() < h.start(), "overlap at step " + step);
                    assertFalse(prev.end() + 1 == h.start() && prev.type() == h.type(), "unmerged at " + step);
                }
                for (long b = h.start(); b <= h.end(); b++) {
                    actual[(int) b] = h.type();
                }
            }
            assertEquals(Arrays.toString(model), Arrays.toString(actual), "step " + step);
        }
    }
}
