// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from com.sun.management.ThreadMXBean. Reached by reflection because the
 * tests compile inside module dev.ninefs.core, which (rightly) does not read java.management.
 */
final class AllocationMeter {
    private final Object bean;
    private final Method allocated;

    AllocationMeter() throws ReflectiveOperationException {
        bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    }

    long bytes() throws ReflectiveOperationException {
        return (Long) allocated.invoke(bean);
    }
}
