package dev.switchback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A folder per perform, {@code <deploy.directory>/<slot>-<yyyyMMdd-HHmmss>/}: the config and service env
 * (secrets masked) and {@code metadata.json}; plus the {@code active} file. The newest rollbackLimit are kept.
 */
public final class Snapshots {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final DeployConfig config;

    public Snapshots(DeployConfig config) {
        this.config = config;
    }

    public Path create(Slot slot, String release, Map<String, Object> maskedConfig) {
        try {
            Files.createDirectories(config.directory());
            Path dir = config.directory().resolve(slot.id() + "-" + LocalDateTime.now().format(STAMP));
            for (int i = 2; Files.exists(dir); i++) {
                dir = config.directory().resolve(slot.id() + "-" + LocalDateTime.now().format(STAMP) + "-" + i);
            }
            Files.createDirectories(dir);
            StateStore.writeAtomically(dir.resolve("config.json"), maskedConfig);
            StateStore.writeAtomically(dir.resolve("env.json"), config.maskedEnv());
            return dir;
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot write the deployment snapshot: " + e.getMessage(), e);
        }
    }

    public void finish(Path dir, PerformRecord record) {
        Map<String, Object> all = new LinkedHashMap<>();
        StateStore.JSON.convertValue(record, Map.class).forEach((k, v) -> all.put(String.valueOf(k), v));
        all.putAll(git());
        StateStore.writeAtomically(dir.resolve("metadata.json"), all);
        prune();
    }

    /** The backup ids the kept release records point to (taken before their migrations): retention keeps those. */
    public java.util.Set<String> backupIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        if (!Files.isDirectory(config.directory())) {
            return ids;
        }
        try (Stream<Path> dirs = Files.list(config.directory())) {
            for (Path meta : dirs.map(d -> d.resolve("metadata.json")).filter(Files::isRegularFile).toList()) {
                JsonNode id = StateStore.JSON.readTree(meta.toFile()).path("backupId");
                if (id.isTextual()) {
                    ids.add(id.asText());
                }
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the release records in " + config.directory() + " (needed to "
                    + "keep the backups they point to): " + e.getMessage(), e);
        }
        return ids;
    }

    public void markActive(Slot slot) {
        try {
            Files.createDirectories(config.directory());
            Files.writeString(config.directory().resolve("active"), slot == null ? "" : slot.id() + "\n");
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot write " + config.directory().resolve("active") + ": " + e.getMessage(), e);
        }
    }

    /** The metadata of the newest successful perform of {@code release}, or null. */
    public JsonNode latestFor(String release) {
        for (Path dir : newestFirst()) {
            Path meta = dir.resolve("metadata.json");
            try {
                if (Files.exists(meta)) {
                    JsonNode n = StateStore.JSON.readTree(meta.toFile());
                    if (release.equals(n.path("release").asText()) && "success".equals(n.path("outcome").asText())) {
                        return n;
                    }
                }
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, meta + " is unreadable: " + e.getMessage(), e);
            }
        }
        return null;
    }

    List<Path> newestFirst() {
        if (!Files.isDirectory(config.directory())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(config.directory())) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("(blue|green)-\\d{8}-\\d{6}(-\\d+)?"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().replaceFirst("^(blue|green)-", "")).reversed())
                    .toList();
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list " + config.directory() + ": " + e.getMessage(), e);
        }
    }

    private void prune() {
        List<Path> all = newestFirst();
        for (Path old : all.subList(Math.min(all.size(), config.rollbackLimit()), all.size())) {
            try (Stream<Path> files = Files.walk(old)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot delete old snapshot " + old + ": " + e.getMessage(), e);
            }
        }
    }

    private Map<String, Object> git() {
        Map<String, Object> out = new LinkedHashMap<>();
        String commit = run("git", "rev-parse", "HEAD");
        if (commit != null) {
            out.put("gitCommit", commit);
            out.put("gitBranch", run("git", "rev-parse", "--abbrev-ref", "HEAD"));
        }
        return out;
    }

    private String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(config.workingDirectory().toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
