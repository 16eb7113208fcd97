// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;

/**
 * What a fid stands for. A fid starts {@link Walked} (attach, walk); Tlopen makes it {@link Opened}, Txattrcreate
 * {@link XattrWrite}; Txattrwalk creates an {@link XattrRead} fid. Each state owns what it holds and releases it in
 * {@link #close}, called once when the last use of the fid ends.
 */
sealed interface FidState permits FidState.Walked, FidState.Opened, FidState.XattrRead, XattrWrite {

    /** Releases the node and open file this state holds. Never fails. */
    void close();

    /** A file reached by attach or walk, not opened. */
    record Walked(Node node) implements FidState {
        @Override
        public void close() {
            node.close();
        }
    }

    /** A file opened by Tlopen or Tlcreate, with the Linux open flags it was opened with. */
    record Opened(Node node, OpenFile file, int flags) implements FidState {
        @Override
        public void close() {
            try {
                file.close();
            } finally {
                node.close();
            }
        }
    }

    /** The value (or the NUL-separated name list) Txattrwalk fetched, read with Tread. */
    record XattrRead(byte[] value) implements FidState {
        @Override
        public void close() {}
    }
}
