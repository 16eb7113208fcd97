// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Frame channels over inherited file descriptors, without native code.
 *
 * <p>Descriptors 0 and 1 are used as they are: that is how a server runs behind socat
 * ({@code socat TCP-LISTEN:5640,bind=127.0.0.1,reuseaddr,fork EXEC:"ninefs serve --listen fd:0,1"}, where socat
 * gives the child a socket pair or, with {@code ,pipes}, two pipes) or behind a QEMU character device
 * ({@code -chardev pipe} / {@code -chardev socket} wired to the process's stdio). When {@code fd:0,1} is opened,
 * {@link System#out} is pointed at standard error, because one stray line on standard output would corrupt the
 * stream.
 *
 * <p>Any other descriptor N is reopened through {@code /proc/self/fd/N} (or {@code /dev/fd/N}). That works for
 * pipes, FIFOs, character devices (a virtio-serial port) and files, but Linux refuses to reopen a socket that way
 * (ENXIO): pass a socket as stdin/stdout instead.
 */
final class FdChannels {
    private FdChannels() {}

    static StreamFrameChannel open(Endpoint.Fd fd) throws IOException {
        FileChannel in = fd.in() == 0
                ? new FileInputStream(FileDescriptor.in).getChannel()
                : reopen(fd.in(), StandardOpenOption.READ);
        FileChannel out;
        try {
            if (fd.out() == 1) {
                out = new FileOutputStream(FileDescriptor.out).getChannel();
                protectStandardOutput();
            } else {
                out = reopen(fd.out(), StandardOpenOption.WRITE);
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        String name = "fd " + fd.in() + "/" + fd.out();
        return StreamFrameChannel.of(new OffloadedChannel(in, "ninefs " + name + " read"),
                new OffloadedChannel(out, "ninefs " + name + " write"), name);
    }

    private static FileChannel reopen(int fd, StandardOpenOption mode) throws IOException {
        Path proc = Path.of("/proc/self/fd/" + fd);
        Path path = Files.exists(Path.of("/proc/self/fd")) ? proc : Path.of("/dev/fd/" + fd);
        try {
            return FileChannel.open(path, mode);
        } catch (IOException e) {
            throw new IOException("cannot open file descriptor " + fd + " through " + path + " (" + e
                    + "); it must be an open pipe, FIFO or device (sockets only as fd:0,1)", e);
        }
    }

    private static synchronized void protectStandardOutput() {
        if (System.out != System.err) {
            System.out.flush();
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        }
    }
}
