// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.transport.Spin;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every session of a server shares: the exports and the limits.
 *
 * @param exports by aname
 * @param defaultExport what an attach with an empty aname gets (the first export added)
 * @param maxMsize the largest msize Tversion may negotiate
 * @param maxFids fids one connection may hold at once (EMFILE beyond)
 * @param maxInFlight requests one connection may have running at once (the server stops reading beyond)
 * @param spin how long the reader of a client that sends one request at a time polls for the next before it
 *     sleeps ({@link Spin}); zero never polls
 */
record ServerConfig(Map<String, Export> exports, Export defaultExport, int maxMsize, int maxFids,
        int maxInFlight, Duration spin) {

    ServerConfig {
        exports = Collections.unmodifiableMap(new LinkedHashMap<>(exports));
    }

    Export export(String aname) throws ErrnoException {
        Export e = exports.get(aname);
        if (e == null && aname.isEmpty()) {
            e = defaultExport;
        }
        if (e == null) {
            throw new ErrnoException(Errno.ENOENT, "no export named '" + aname + "'");
        }
        return e;
    }
}
