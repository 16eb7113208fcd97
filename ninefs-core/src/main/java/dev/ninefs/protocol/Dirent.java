// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One entry of an Rreaddir: qid[13] offset[8] type[1] name[s].
 *
 * @param qid the entry's qid
 * @param offset the cookie a Treaddir passes to continue after this entry
 * @param dtype the d_type of the entry (DT_DIR = 4, DT_REG = 8, DT_LNK = 10...)
 * @param name the entry's name
 */
public record Dirent(Qid qid, long offset, int dtype, String name) {
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
            DT_LNK = 10, DT_SOCK = 12;

    /** Bytes this entry takes in an Rreaddir. */
    public int encodedSize() {
        return Qid.SIZE + 8 + 1 + 2 + utf8Length(name);
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
