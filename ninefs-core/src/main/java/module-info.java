// SPDX-License-Identifier: Apache-2.0
/** 9P2000.L messages, their codec, frame layout and transports. No dependencies. */
module dev.ninefs.core {
    exports dev.ninefs.protocol;
    exports dev.ninefs.transport;
}
