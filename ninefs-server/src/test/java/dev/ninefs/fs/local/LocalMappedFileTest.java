// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import org.junit.jupiter.api.Nested;

/** The backend contract on a local export with security_model=mapped-file: the backend alone, and over the wire. */
class LocalMappedFileTest {
    @Nested
    class Backend extends LocalContract {
        @Override
        SecurityModel model() {
            return SecurityModel.MAPPED_FILE;
        }

        @Override
        boolean overWire() {
            return false;
        }
    }

    @Nested
    class OverWire extends LocalContract {
        @Override
        SecurityModel model() {
            return SecurityModel.MAPPED_FILE;
        }

        @Override
        boolean overWire() {
            return true;
        }
    }
}
