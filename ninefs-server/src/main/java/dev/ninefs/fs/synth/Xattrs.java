// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extended attributes of one file, with Linux's limits: names of 1..255 bytes in a known namespace, values
 * up to 64 KiB, a name list up to 64 KiB. Who may read or write which namespace is {@link Access}'s business.
 * Guarded by the tree lock.
 */
final class Xattrs {
    static final int NAME_MAX = 255;
    static final int VALUE_MAX = 64 * 1024;
    static final int LIST_MAX = 64 * 1024;

    /** The namespaces synth stores; "system." (ACLs) is not one of them. */
    enum Namespace {
        USER("user."), TRUSTED("trusted."), SECURITY("security.");

        final String prefix;

        Namespace(String prefix) {
            this.prefix = prefix;
        }
    }

    private Map<String, byte[]> values;
    private int listBytes;

    /** The namespace of {@code name}: ERANGE for an empty or over-long name, EOPNOTSUPP for an unknown prefix. */
    static Namespace namespace(String name) throws ErrnoException {
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > NAME_MAX) {
            throw new ErrnoException(Errno.ERANGE, "xattr name of " + length + " bytes");
        }
        if (name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        for (Namespace ns : Namespace.values()) {
            if (name.startsWith(ns.prefix)) {
                if (name.length() == ns.prefix.length()) {
                    throw new ErrnoException(Errno.EINVAL, "xattr name without a suffix");
                }
                return ns;
            }
        }
        throw new ErrnoException(Errno.EOPNOTSUPP, "xattr namespace of " + name);
    }

    /** Checks a set's value and flags before any permission check, as setxattr(2) does. */
    static void checkValue(byte[] value, int flags) throws ErrnoException {
        if ((flags & ~(Dotl.XATTR_CREATE | Dotl.XATTR_REPLACE)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "xattr flags " + flags);
        }
        if (value.length > VALUE_MAX) {
            throw new ErrnoException(Errno.E2BIG, "xattr value of " + value.length + " bytes");
        }
    }

    byte[] get(String name) throws ErrnoException {
        byte[] value = values == null ? null : values.get(name);
        if (value == null) {
            throw new ErrnoException(Errno.ENODATA);
        }
        return value.clone();
    }

    List<String> names() {
        return values == null ? List.of() : List.copyOf(values.keySet());
    }

    void set(String name, byte[] value, int flags) throws ErrnoException {
        boolean present = values != null && values.containsKey(name);
        if (present && (flags & Dotl.XATTR_CREATE) != 0) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if (!present && (flags & Dotl.XATTR_REPLACE) != 0) {
            throw new ErrnoException(Errno.ENODATA);
        }
        if (!present) {
            int entry = name.getBytes(StandardCharsets.UTF_8).length + 1;
            if (listBytes + entry > LIST_MAX) {
                throw new ErrnoException(Errno.ENOSPC, "xattr names exceed " + LIST_MAX + " bytes");
            }
            listBytes += entry;
            if (values == null) {
                values = new LinkedHashMap<>();
            }
        }
        values.put(name, value.clone());
    }

    void remove(String name) throws ErrnoException {
        if (values == null || values.remove(name) == null) {
            throw new ErrnoException(Errno.ENODATA);
        }
        listBytes -= name.getBytes(StandardCharsets.UTF_8).length + 1;
    }
}
