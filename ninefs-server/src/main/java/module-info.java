// SPDX-License-Identifier: Apache-2.0
/** The ninefs server: sessions, fids, dispatch; the backend SPI and the backends. */
module dev.ninefs.server {
    requires transitive dev.ninefs.core;

    exports dev.ninefs.fs;
    exports dev.ninefs.fs.synth;
    exports dev.ninefs.fs.local;
    exports dev.ninefs.fs.ceph;
    exports dev.ninefs.server;
    exports dev.ninefs.qid;
}
