// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The root of the contract's groups: each group reaches the backend through the running test's fixture. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ContractGroup {
    /** The fixture of the running test. */
    protected abstract ContractFixture fx();
}
