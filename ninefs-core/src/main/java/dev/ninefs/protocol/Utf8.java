// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

/** Strict UTF-8 checks and lengths, without allocating. */
final class Utf8 {
    private Utf8() {}

    /**
     * Bytes {@code s} takes in UTF-8, counted exactly as {@link String#getBytes(java.nio.charset.Charset)}
     * encodes it (an unpaired surrogate becomes one '?').
     */
    static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else if (Character.isSurrogate(c)) {
                continue; // replaced by '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /**
     * Whether {@code a[from, from + len)} is well-formed UTF-8: no overlong forms, no surrogates, nothing above
     * U+10FFFF, no truncated sequence. Returns the offset of the first bad byte, or -1 when it is well formed.
     */
    static int firstInvalid(byte[] a, int from, int len) {
        int i = from;
        int end = from + len;
        while (i < end) {
            int b = a[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xff;
            int need;
            int min2 = 0x80;
            int max2 = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                need = 1;
            } else if (b >= 0xe0 && b <= 0xef) {
                need = 2;
                if (b == 0xe0) {
                    min2 = 0xa0; // overlong
                } else if (b == 0xed) {
                    max2 = 0x9f; // surrogates
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                need = 3;
                if (b == 0xf0) {
                    min2 = 0x90; // overlong
                } else if (b == 0xf4) {
                    max2 = 0x8f; // above U+10FFFF
                }
            } else {
                return i - from;
            }
            if (end - i <= need) {
                return i - from;
            }
            int b2 = a[i + 1] & 0xff;
            if (b2 < min2 || b2 > max2) {
                return i - from;
            }
            for (int k = 2; k <= need; k++) {
                if ((a[i + k] & 0xc0) != 0x80) {
                    return i - from;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
