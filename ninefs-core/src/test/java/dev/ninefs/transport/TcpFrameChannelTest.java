// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpFrameChannelTest extends FrameChannelContract {
    static Pair pairOver(Endpoint endpoint) throws Exception {
        Listener listener = endpoint.listen();
        Endpoint bound = listener.endpoint();
        assertNotEquals(0, ((Endpoint.Tcp) bound).port(), "the listener reports the real port");
        FrameChannel far = bound.connect();
        FrameChannel near = listener.accept();
        assertTrue(near.peer().startsWith("tcp "), near.peer());
        return new Pair(near, far, listener);
    }

    @Override
    Pair connect() throws Throwable {
        return pairOver(Endpoint.parse("tcp://127.0.0.1:0"));
    }

    @Override
    boolean tellsArrivals() {
        return true;
    }

    @Override
    boolean countsInput() {
        return true;
    }
}
