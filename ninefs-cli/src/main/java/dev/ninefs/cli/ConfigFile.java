// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A serve configuration file: one {@code key = value} per line, {@code #} starts a comment. Keys: export and
 * listen (repeatable), msize, max-fids, max-in-flight.
 */
record ConfigFile(List<String> exports, List<String> listens, String msize, Integer maxFids, Integer maxInFlight) {

    static ConfigFile read(Path file) throws IOException {
        List<String> exports = new ArrayList<>();
        List<String> listens = new ArrayList<>();
        String msize = null;
        Integer maxFids = null;
        Integer maxInFlight = null;
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            try {
                switch (key) {
                    case "export" -> exports.add(value);
                    case "listen" -> listens.add(value);
                    case "msize" -> msize = value;
                    case "max-fids" -> maxFids = Integer.parseInt(value);
                    case "max-in-flight" -> maxInFlight = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException(file + ":" + lineNo + ": unknown key '" + key
                            + "'; valid: export, listen, msize, max-fids, max-in-flight");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": '" + value + "' is not a number");
            }
        }
        return new ConfigFile(exports, listens, msize, maxFids, maxInFlight);
    }

    /** Adds this file's settings under the command line's: exports and listens first, scalars unless given. */
    void applyTo(ServeCommand serve) {
        serve.exports.addAll(0, exports);
        serve.listens.addAll(0, listens);
        if (serve.msize == null) {
            serve.msize = msize;
        }
        if (maxFids != null && serve.maxFids == dev.ninefs.server.NinefsServer.DEFAULT_MAX_FIDS) {
            serve.maxFids = maxFids;
        }
        if (maxInFlight != null && serve.maxInFlight == dev.ninefs.server.NinefsServer.DEFAULT_MAX_IN_FLIGHT) {
            serve.maxInFlight = maxInFlight;
        }
    }
}
