package dev.switchback.cli;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;
import java.util.Set;

/**
 * The order of the test classes: by name, except that the classes which judge latency, traffic shares or failed
 * requests under steady load come last. Those are also {@code @Isolated}: JUnit runs them one after the other once
 * every other class has finished, so the machine is theirs; this order only decides which of them goes first.
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
