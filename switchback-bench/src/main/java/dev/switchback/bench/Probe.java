package dev.switchback.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.Callable;

/** Measures one phase in this JVM: wall time, process CPU time, bytes allocated by this thread, peak heap. */
final class Probe {
    /** One measured phase; {@code value} is what the phase returned (kept so results can be checked). */
    record Sample<T>(T value, long wallNanos, long cpuNanos, long allocBytes, long peakHeapBytes) {
        double wallMs() {
            return wallNanos / 1e6;
        }

        double cpuMs() {
            return cpuNanos / 1e6;
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private Probe() {
    }

    static <T> Sample<T> measure(Callable<T> phase) throws Exception {
        // Collect first so one phase's garbage is not collected on the next phase's clock, and so the peak
        // below starts from the live set rather than from whatever the previous phase left behind.
        System.gc();
        HEAP_POOLS.forEach(MemoryPoolMXBean::resetPeakUsage);
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        // Process CPU, not thread CPU: it includes the JIT and GC threads the phase keeps busy (but not the
        // PostgreSQL server, which does the same SQL work for every tool).
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        T value = phase.call();
        long wall = System.nanoTime() - t0;
        long cpu = OS.getProcessCpuTime() - cpu0;
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
        // The sum of each pool's own peak: an upper bound on the heap in use at once (pools peak at different
        // moments), and it includes garbage not yet collected, so it reads high against a small live set.
        long peak = HEAP_POOLS.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Sample<>(value, wall, cpu, alloc, peak);
    }

    /** Wall time of a child process, which this JVM cannot see the heap or CPU of. */
    static long wallNanos(Callable<?> phase) throws Exception {
        long t0 = System.nanoTime();
        phase.call();
        return System.nanoTime() - t0;
    }

    /** The machine's 1-minute load average (negative where the platform has none). */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }
}
