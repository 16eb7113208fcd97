// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What one operation of a bench run is. The composite ones time the whole sequence as one operation. */
enum Workload {
    /** Tgetattr (the basic mask, as the Linux client asks) on a fid held by the lane. */
    GETATTR(false),
    /** Twalk from the attach root to the prepared file, then Tclunk of the new fid. */
    WALK(false),
    /** Tread of the block size on the prepared file (several Treads in flight when the msize is smaller). */
    READ(true),
    /** Twrite of the block size on the prepared file, likewise. */
    WRITE(true),
    /** Tlcreate of a new file (after the walk that clones the directory fid), Tclunk, Tunlinkat. */
    CREATE(false),
    /** Tlopen of the prepared directory and Treaddir until the end: one full listing. */
    READDIR(false),
    /** Per operation, at random: 30% getattr, 20% walk, 25% read, 15% write, 10% create. */
    MIXED(true);

    /** Whether the workload moves file data, so that MB/s means something. */
    final boolean movesData;

    Workload(boolean movesData) {
        this.movesData = movesData;
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Workload parse(String text) {
        for (Workload w : values()) {
            if (w.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + text + "'; valid: " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", "));
    }
}
