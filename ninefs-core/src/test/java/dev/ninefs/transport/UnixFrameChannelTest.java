// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class UnixFrameChannelTest extends FrameChannelContract {
    @TempDir
    Path dir;

    @Override
    Pair connect() throws Throwable {
        Listener listener = Endpoint.parse("unix:" + dir.resolve("9p.sock")).listen();
        FrameChannel far = listener.endpoint().connect();
        FrameChannel near = listener.accept();
        return new Pair(near, far, listener);
    }

    @Override
    boolean countsInput() {
        return true;
    }

    @Override
    boolean tellsArrivals() {
        return true; // FIONREAD on its descriptor: the tests run with native access and the descriptor export
    }
}
