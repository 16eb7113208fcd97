// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ConnectionOutput} of a channel without one of its own (the default {@link FrameChannel#writeExclusive}):
 * it copies what is written, since the writer may reuse its buffers, and the channel sends it all in one write
 * at the end, which keeps it whole. No descriptor.
 */
final class CollectedOutput implements ConnectionOutput {
    private final List<ByteBuffer> parts = new ArrayList<>();

    @Override
    public void write(ByteBuffer... buffers) {
        for (ByteBuffer b : buffers) {
            if (b.hasRemaining()) {
                parts.add(ByteBuffer.allocate(b.remaining()).put(b).flip());
            }
        }
    }

    @Override
    public boolean hasDescriptor() {
        return false;
    }

    @Override
    public long onDescriptor(DescriptorCall call) throws IOException {
        throw new ClosedChannelException();
    }

    ByteBuffer[] parts() {
        return parts.toArray(ByteBuffer[]::new);
    }
}
