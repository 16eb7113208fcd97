// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;

/**
 * What a {@link SecurityModel} changes: where the client's ownership and mode are kept, how new files are made on
 * the host, which names and xattrs are the server's own. Everything else about a local export is the same for all
 * models.
 */
abstract sealed class Model permits Passthrough, Mapped {

    static Model of(LocalFileSystem fs, SecurityModel model) {
        return switch (model) {
            case PASSTHROUGH -> new Passthrough(false);
            case NONE -> new Passthrough(true);
            case MAPPED_XATTR -> new MappedXattr(fs);
            case MAPPED_FILE -> new MappedFile(fs);
        };
    }

    /** What the client sees of a file whose host stat is {@code host}. */
    abstract Attr clientAttr(LocalNode node, Attr host) throws ErrnoException;

    /**
     * The st_mode the client sees of entry {@code name} of directory {@code dirfd}, whose lstat is {@code host}: the
     * mode {@link #clientAttr} gives a node of that entry.
     */
    int clientMode(int dirfd, String name, Attr host) throws ErrnoException {
        return host.mode();
    }

    /** The host permission bits of a new regular file or special-file stand-in the client asked {@code mode} for. */
    abstract int hostFileMode(int mode);

    /** The host permission bits of a new directory. */
    abstract int hostDirMode(int mode);

    /** Makes the entry for a new symlink (no metadata yet). */
    abstract void makeSymlink(int dirfd, String name, String target) throws ErrnoException;

    /** Makes the entry for a new special file or empty regular file (no metadata yet). */
    abstract void makeNode(int dirfd, String name, int mode, long rdev) throws ErrnoException;

    /**
     * Gives a just-made file, whose host stat is {@code host}, its owner and mode: {@code mode} has the type bits,
     * {@code uid} and {@code gid} may be -1 (leave as is), {@code rdev} is -1 unless it is a device. Returns what
     * the client now sees of it, as far as it is known without another stat (the ctime may be older).
     */
    abstract Attr created(LocalNode node, Attr host, int mode, int uid, int gid, long rdev) throws ErrnoException;

    abstract void chmod(LocalNode node, int mode) throws ErrnoException;

    /** chown; -1 leaves an id unchanged. */
    abstract void chown(LocalNode node, int uid, int gid) throws ErrnoException;

    /** Whether {@code name} is the server's own and invisible to clients (mapped-file metadata). */
    boolean reserved(String name) {
        return false;
    }

    /**
     * The host name of the client's xattr {@code name}, or an error: ENODATA / EACCES for the server's own names,
     * EOPNOTSUPP for a namespace this model does not carry.
     */
    abstract String xattrName(String name, boolean write) throws ErrnoException;

    /** The client's view of the host's xattr names. */
    abstract List<String> visibleXattrs(List<String> host);

    /** The d_types a client sees for the entries of one directory listing call. */
    interface Dtypes extends AutoCloseable {
        /** The d_type to list for host entry {@code name} whose host d_type is {@code type}. */
        int of(String name, int type);

        @Override
        void close();
    }

    /** What gives d_types for a listing of the directory open as {@code dirfd}: the host's, by default. */
    Dtypes dtypes(int dirfd) throws ErrnoException {
        return new Dtypes() {
            @Override
            public int of(String name, int type) {
                return type;
            }

            @Override
            public void close() {}
        };
    }

    /** After entry {@code oldName} of {@code srcDir} became {@code newName} of {@code dstDir}. */
    void renamed(int srcDir, String oldName, int dstDir, String newName) throws ErrnoException {}

    /** Before the directory {@code name} of {@code dir} is removed: ENOTEMPTY if a client could see an entry. */
    void beforeRmdir(int dir, String name) throws ErrnoException {}

    /** After entry {@code name} of {@code dir} was removed. */
    void unlinked(int dir, String name) {}

    /** After {@code target}'s file got the new name {@code name} in {@code dir}. */
    void linked(LocalNode target, int dir, String name) throws ErrnoException {}
}
