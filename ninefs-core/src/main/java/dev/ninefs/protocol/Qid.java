// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

/**
 * The server's unique identification of a file: type[1] version[4] path[8], 13 bytes on the wire.
 *
 * @param type QTDIR, QTSYMLINK, QTFILE... (unsigned byte)
 * @param version changes when the file changes (unsigned 32 bits)
 * @param path unique among all files of the export for the life of the server
 */
public record Qid(int type, int version, long path) {
    public static final int SIZE = 13;

    public static final int QTDIR = 0x80;
    public static final int QTAPPEND = 0x40;
    public static final int QTEXCL = 0x20;
    public static final int QTMOUNT = 0x10;
    public static final int QTAUTH = 0x08;
    public static final int QTTMP = 0x04;
    public static final int QTSYMLINK = 0x02;
    public static final int QTLINK = 0x01;
    public static final int QTFILE = 0x00;

    public Qid {
        if ((type & ~0xff) != 0) {
            throw new IllegalArgumentException("qid type is one byte: " + type);
        }
    }

    public boolean isDirectory() {
        return (type & QTDIR) != 0;
    }

    public boolean isSymlink() {
        return (type & QTSYMLINK) != 0;
    }
}
