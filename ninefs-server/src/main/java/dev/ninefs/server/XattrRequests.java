// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.*;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Extended attributes the 9P2000.L way: Txattrwalk fetches a value (or, for an empty name, the list of names,
 * each followed by NUL, as listxattr(2) gives them) into a new fid read with Tread; Txattrcreate turns a fid into
 * a buffer filled with Twrite and set at Tclunk ({@link XattrWrite}).
 */
final class XattrRequests {
    /** XATTR_NAME_MAX. */
    private static final int NAME_MAX = 255;

    private final SessionContext session;

    XattrRequests(SessionContext session) {
        this.session = session;
    }

    Rxattrwalk xattrwalk(Txattrwalk x) throws ErrnoException {
        FidTable fids = session.fids();
        try (Fid fid = fids.use(x.fid())) {
            if (x.newfid() == x.fid()) {
                throw Errors.badFid(x.newfid(), "xattrwalk needs a new fid");
            }
            fids.checkFree(x.newfid());
            Node node = fid.node();
            byte[] value = x.name().isEmpty() ? names(node) : node.getxattr(checkName(x.name()));
            if (value.length > XattrWrite.MAX_SIZE) {
                throw new ErrnoException(Errno.E2BIG, "xattr value of " + value.length + " bytes");
            }
            FileRequests.add(fids, x.newfid(), fid.export(), new FidState.XattrRead(value));
            return new Rxattrwalk(value.length);
        }
    }

    Rxattrcreate xattrcreate(Txattrcreate x) throws ErrnoException {
        if ((x.flags() & ~(Dotl.XATTR_CREATE | Dotl.XATTR_REPLACE)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "xattr flags " + Integer.toHexString(x.flags()));
        }
        if (x.attrSize() < 0 || x.attrSize() > XattrWrite.MAX_SIZE) {
            throw new ErrnoException(Errno.E2BIG, "xattr value of " + Long.toUnsignedString(x.attrSize()) + " bytes");
        }
        try (Fid fid = session.fids().use(x.fid())) {
            fid.startXattrWrite(checkName(x.name()), x.flags(), (int) x.attrSize());
            return new Rxattrcreate();
        }
    }

    private static String checkName(String name) throws ErrnoException {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "bad xattr name");
        }
        if (Names.utf8Length(name) > NAME_MAX) {
            throw new ErrnoException(Errno.ERANGE, "xattr name longer than 255 bytes");
        }
        return name;
    }

    private static byte[] names(Node node) throws ErrnoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : node.listxattr()) {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }
}
