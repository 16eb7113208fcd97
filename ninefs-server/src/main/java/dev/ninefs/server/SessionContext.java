// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.ErrnoException;

/** What request handlers need from their session. */
interface SessionContext {
    /** The session's fids. */
    FidTable fids();

    /** The export an attach names ("" for the default); ENOENT if there is none. */
    Export export(String aname) throws ErrnoException;

    /** The negotiated msize. */
    int msize();

    /** This connection's id, part of every lock owner. */
    long connectionId();
}
