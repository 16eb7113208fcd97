// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A directory. Each entry gets a cookie, one more than the last, when it is inserted; a listing goes in cookie
 * order and resumes after a cookie, so an offset stays valid while entries come and go: nothing already listed
 * comes again and nothing present throughout is missed. Cookies 1 and 2 are "." and "..". Guarded by the tree lock.
 */
final class Directory extends Inode {
    /** The cookies of "." and ".."; entries start after them. */
    static final long DOT = 1, DOTDOT = 2;
    private static final long SIZE = 4096;

    /** An entry: a name, the file it names and its cookie. */
    record Entry(String name, Inode inode, long cookie) {}

    private final Map<String, Entry> byName = new HashMap<>();
    private final TreeMap<Long, Entry> byCookie = new TreeMap<>();
    private long nextCookie = DOTDOT + 1;
    /** The directory holding this one; the root's is itself. */
    Directory parent;

    Directory(long ino, int mode, int uid, int gid, Timestamp now) {
        super(ino, mode, uid, gid, now);
        this.parent = this;
    }

    @Override
    long size() {
        return SIZE;
    }

    Inode lookup(String name) {
        Entry e = byName.get(name);
        return e == null ? null : e.inode;
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    int count() {
        return byName.size();
    }

    /** Inserts {@code name} (absent) for {@code inode}, recording the new name on the inode. */
    void add(String name, Inode inode) {
        Entry e = new Entry(name, inode, nextCookie++);
        byName.put(name, e);
        byCookie.put(e.cookie, e);
        inode.links.add(new Link(this, name));
        if (inode instanceof Directory d) {
            d.parent = this;
        }
    }

    /** Removes entry {@code name} (present) and that name from its inode. */
    Inode remove(String name) {
        Entry e = byName.remove(name);
        byCookie.remove(e.cookie);
        e.inode.links.remove(new Link(this, name));
        return e.inode;
    }

    /** The entries after {@code cookie}, in cookie order. */
    Collection<Entry> after(long cookie) {
        return byCookie.tailMap(cookie, false).values();
    }

    /** Whether this directory is {@code other} or lies beneath it. */
    boolean within(Directory other) {
        for (Directory d = this; ; d = d.parent) {
            if (d == other) {
                return true;
            }
            if (d.parent == d) {
                return false;
            }
        }
    }
}
