// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dotl;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cat", mixinStandardHelpOptions = true, description = "Writes remote files to standard output.")
final class CatCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Parameters(paramLabel = "URI", arity = "1..*", description = RemotePath.FORMS)
    List<String> uris;

    @Override
    public Integer call() throws Exception {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        Progress silent = new Progress(new PrintWriter(OutputStream.nullOutputStream()), "", -1, false);
        for (String uri : uris) {
            RemotePath where = remote.locate(uri);
            try (Remote.Session session = remote.open(where); RemoteFile file = session.walk(where)) {
                file.open(Dotl.O_RDONLY);
                Transfer.download(file, out, silent);
            }
        }
        out.flush();
        return 0;
    }
}
