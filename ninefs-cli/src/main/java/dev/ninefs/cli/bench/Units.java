// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import java.time.Duration;
import java.util.Locale;

/** Sizes (4096, 4k, 1M) and durations (10, 10s, 500ms, 2m) as people type them on a command line. */
public final class Units {
    private Units() {}

    /** A byte count; k, m, g are powers of 1024, with an optional trailing "b" or "ib". */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            shift = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            if (shift != 0) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0 || Long.numberOfLeadingZeros(n) <= shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 4096, 4k, 1M)");
        }
    }

    /** A duration: a number of seconds, or a number with ms, s or m. */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("us")) {
                return checked(Duration.ofNanos(Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - 2)),
                        1000L)), text);
            }
            if (t.endsWith("ms")) {
                return checked(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            if (t.endsWith("m")) {
                return checked(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))), text);
            }
            if (t.endsWith("s")) {
                t = t.substring(0, t.length() - 1);
            }
            double seconds = Double.parseDouble(t);
            if (!Double.isFinite(seconds)) {
                throw new NumberFormatException();
            }
            return checked(Duration.ofMillis(Math.round(seconds * 1000)), text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 10s, 500ms, 50us, 2m)");
        }
    }

    private static Duration checked(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is a negative duration");
        }
        return d;
    }
}
