// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A transfer's progress on stderr: a line redrawn at most 5 times a second, then a summary. */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final boolean live;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;

    /** {@code total} is -1 when unknown; {@code live} redraws while running, otherwise only the summary prints. */
    Progress(PrintWriter err, String what, long total, boolean live) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.live = live;
    }

    void advance(long bytes) {
        done += bytes;
        if (live) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                String pct = total > 0 ? String.format(Locale.ROOT, " %3d%%", done * 100 / total) : "";
                err.print("\r" + what + pct + " " + Sizes.human(done) + " " + rate(now) + "   ");
                err.flush();
            }
        }
    }

    void finish() {
        if (live) {
            err.print("\r");
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        err.println(String.format(Locale.ROOT, "%s: %s in %.2f s (%s/s)", what, Sizes.human(done), secs,
                Sizes.human(done / secs)));
        err.flush();
    }

    private String rate(long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        return Sizes.human(done / secs) + "/s";
    }
}
