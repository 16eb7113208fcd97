// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;

/** A listener whose one connection is a pair of inherited descriptors: accept yields it once, then null. */
final class FdListener implements Listener {
    private final Endpoint.Fd endpoint;
    private FrameChannel channel;
    private boolean taken;

    /** Opens the descriptors at once, so that a bad one fails at listen time rather than at the first accept. */
    FdListener(Endpoint.Fd endpoint) throws IOException {
        this.endpoint = endpoint;
        this.channel = FdChannels.open(endpoint);
    }

    @Override
    public synchronized FrameChannel accept() {
        if (taken) {
            return null;
        }
        taken = true;
        FrameChannel c = channel;
        channel = null;
        return c;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Closes the descriptors only if nobody took the connection; once taken, the channel's owner closes it. */
    @Override
    public synchronized void close() throws IOException {
        taken = true;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
