// SPDX-License-Identifier: Apache-2.0
/** The ninefs server: sessions, fids, dispatch; the backend SPI and the backends. */
module dev.ninefs.server {
    requires transitive dev.ninefs.core;

    exports dev.ninefs.fs;
    // exports dev.ninefs.fs.synth;  (enable when the package has classes)
    // exports dev.ninefs.server;  (enable when the package has classes)
}
