package dev.switchback.cli;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;
import java.util.Set;

/**
 * The order of the test classes: by name, except that the classes which judge latency, traffic shares or failed
 * requests under steady load run last. The classes that only run CLI processes ({@code @Execution(CONCURRENT)}) start
 * first on the other threads, so by the time these run the machine is theirs again.
 */
public final class LoadTestsLast implements ClassOrderer {
    private static final Set<String> UNDER_LOAD = Set.of("CanaryIT", "PrometheusCanaryIT", "ReplicasIT", "RollingIT", "UpgradeIT");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((org.junit.jupiter.api.ClassDescriptor c) -> UNDER_LOAD.contains(c.getTestClass().getSimpleName()))
                .thenComparing(c -> c.getTestClass().getName()));
    }
}
