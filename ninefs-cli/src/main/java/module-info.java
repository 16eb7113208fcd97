// SPDX-License-Identifier: Apache-2.0
/** The ninefs command: serve, and client commands over URIs. */
module dev.ninefs.cli {
    requires dev.ninefs.server;
    requires dev.ninefs.client;
    requires info.picocli;

    opens dev.ninefs.cli to info.picocli;
    opens dev.ninefs.cli.bench to info.picocli;
}
