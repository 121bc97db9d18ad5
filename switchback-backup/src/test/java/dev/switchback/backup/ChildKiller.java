package dev.switchback.backup;

import java.util.HashSet;
import java.util.Set;

/** Kills one of this JVM's child processes (a restore tool) by SIGKILL, as a crash would. */
final class ChildKiller {
    private ChildKiller() {
    }

    static Thread killFirst(String command, String argument) {
        return killNth(command, argument, 1);
    }

    /** Watches for the n-th distinct child running {@code command} with {@code argument} and kills it once it has run 300 ms. */
    static Thread killNth(String command, String argument, int n) {
        Thread t = new Thread(() -> {
            Set<Long> seen = new HashSet<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                    String cmd = p.info().command().orElse("");
                    String[] args = p.info().arguments().orElse(new String[0]);
                    if (cmd.endsWith("/" + command) && java.util.Arrays.asList(args).contains(argument) && seen.add(p.pid())
                            && seen.size() == n) {
                        sleep(300);
                        p.destroyForcibly();
                        return;
                    }
                }
                sleep(20);
            }
        }, "child-killer");
        t.start();
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
