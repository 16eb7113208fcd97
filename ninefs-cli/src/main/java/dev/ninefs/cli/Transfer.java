// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Copies between a remote file and a local stream in the largest chunks the connection allows. */
final class Transfer {
    private Transfer() {}

    /** Reads the whole remote file from offset 0 into {@code out}. */
    static long download(RemoteFile file, OutputStream out, Progress progress) throws IOException {
        int chunk = file.maxReadSize();
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        long offset = 0;
        while (true) {
            buf.clear();
            int n = file.read(offset, buf);
            if (n <= 0) {
                return offset;
            }
            out.write(buf.array(), 0, n);
            offset += n;
            progress.advance(n);
        }
    }

    /** Writes all of {@code in} to the remote file from offset 0. */
    static long upload(InputStream in, RemoteFile file, Progress progress) throws IOException {
        byte[] buf = new byte[file.maxWriteSize()];
        long offset = 0;
        while (true) {
            int n = in.readNBytes(buf, 0, buf.length);
            if (n <= 0) {
                return offset;
            }
            file.writeFully(offset, buf, 0, n);
            offset += n;
            progress.advance(n);
        }
    }
}
