package dev.switchback.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A release's process as recorded: its pid and the start time the kernel gave it ({@code /proc/<pid>/stat} field 22,
 * clock ticks since boot). A pid alone may name another program once the release has exited, so everything that
 * looks at, adopts or signals a release goes through here and trusts the pid only while the start time matches.
 * The release leads a process group of its own (setsid); its group outlives the leader when it forked and exited.
 *
 * @param startTime null for a record written before start times were kept: then the pid alone is trusted
 */
public record ReleaseProcess(long pid, Long startTime) {
    private static final Path PROC = Path.of("/proc");

    /** The process running now under {@code pid}, with its start time. */
    public static ReleaseProcess of(long pid) {
        return new ReleaseProcess(pid, stat(pid).map(Stat::startTime).orElse(null));
    }

    /** What the kernel says about one pid: its state letter, process group and start time. */
    record Stat(char state, long pgrp, long startTime) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** {@code /proc/<pid>/stat}; the command name (field 2) may hold blanks and parentheses, so fields count from the last ')'. */
    static Optional<Stat> stat(long pid) {
        try {
            String s = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the pid still names this process: a different start time means the pid was given to another program. */
    public boolean recycled() {
        return startTime != null && stat(pid).map(st -> st.startTime() != startTime).orElse(false);
    }

    /** The leader itself runs (not a zombie, not a recycled pid). */
    public boolean alive() {
        Optional<Stat> st = stat(pid);
        return st.isPresent() && !st.get().zombie() && (startTime == null || st.get().startTime() == startTime);
    }

    /**
     * The leader or anything left in its process group runs. A group's id stays reserved while any member lives, so when
     * the pid is free or still ours, members of group {@code pid} are the release's; when the pid was recycled the
     * release's group is gone.
     */
    public boolean anyAlive() {
        return alive() || !recycled() && !groupMembers().isEmpty();
    }

    /** Live processes in the release's group (the leader included when it runs). */
    List<Long> groupMembers() {
        try (Stream<Path> all = Files.list(PROC)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(p -> stat(p).filter(st -> st.pgrp() == pid && !st.zombie()).isPresent()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Signals the release's group and the leader; nothing when the pid now belongs to another program. */
    public void signal(String sig) {
        if (recycled()) {
            return;
        }
        // the group first (setsid made the release its leader), then the process itself in case it has no group of its own
        for (String target : new String[]{"-" + pid, String.valueOf(pid)}) {
            try {
                new ProcessBuilder("kill", "-" + sig, "--", target).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                ProcessHandle.of(pid).ifPresent(sig.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
