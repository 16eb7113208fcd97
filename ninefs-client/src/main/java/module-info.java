// SPDX-License-Identifier: Apache-2.0
/** A 9P2000.L client library: connect, attach, and every file operation, pipelined. */
module dev.ninefs.client {
    requires transitive dev.ninefs.core;

    exports dev.ninefs.client;
}
