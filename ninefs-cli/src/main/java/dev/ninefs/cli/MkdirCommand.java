// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Creates remote directories.")
final class MkdirCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = {"-p", "--parents"}, description = "Create missing parents; no error if it exists.")
    boolean parents;

    @Option(names = {"-m", "--mode"}, paramLabel = "OCTAL", description = "Mode of the new directories (default 755).")
    String mode = "755";

    @Parameters(paramLabel = "URI", arity = "1..*", description = RemotePath.FORMS)
    List<String> uris;

    @Override
    public Integer call() throws Exception {
        int perm = Modes.parseOctal(mode);
        for (String uri : uris) {
            RemotePath where = remote.locate(uri);
            if (where.names().isEmpty()) {
                throw new IllegalArgumentException("name a directory inside the export: " + uri);
            }
            try (Remote.Session session = remote.open(where)) {
                if (!parents) {
                    try (RemoteFile dir = session.walk(where.parent())) {
                        dir.mkdir(where.baseName(), perm);
                    }
                    continue;
                }
                RemoteFile dir = session.root().duplicate();
                try {
                    for (String name : where.names()) {
                        try {
                            dir.mkdir(name, perm);
                        } catch (ErrnoException e) {
                            if (e.errno() != Errno.EEXIST) {
                                throw e;
                            }
                        }
                        RemoteFile next = dir.walk(List.of(name));
                        dir.close();
                        dir = next;
                    }
                    if (!dir.qid().isDirectory()) {
                        throw new ErrnoException(Errno.ENOTDIR, where + ": exists and is not a directory");
                    }
                } finally {
                    dir.close();
                }
            }
        }
        return 0;
    }
}
