// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by a process on this machine (user + system, all its threads), from /proc/PID/stat. Read
 * at the start and end of the measured window, it gives the server's CPU cost per operation: a figure that stays
 * meaningful when the machine is shared and throughput is noisy.
 */
final class ProcessCpu {
    /** USER_HZ, the unit of utime and stime; 100 on every Linux architecture that matters. */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** Nanoseconds of CPU used by the process so far (10 ms resolution). */
    long nanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
