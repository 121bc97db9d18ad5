package dev.switchback.migration;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The new verb: creates the next version's up and down files in the style the project already uses. */
final class NewMigration {
    private NewMigration() {
    }

    static List<Path> create(List<Migration> existing, String description, Path dir) {
        return create(existing, description, dir, "", "");
    }

    /** The files with {@code up} and {@code down} written below their header comment. */
    static List<Path> create(List<Migration> existing, String description, Path dir, String up, String down) {
        String slug = description.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "The description '" + description + "' has no letters or digits to name a file with");
        }
        Migration last = existing.isEmpty() ? null : existing.get(existing.size() - 1);
        String version = last == null ? "001" : next(last.version().toString());
        boolean flyway = last != null && fileName(last.script()).startsWith("V");
        Path upFile = dir.resolve(flyway ? "V" + version + "__" + slug + ".sql" : version + "_" + slug + ".up.sql");
        Path downFile = dir.resolve(flyway ? "U" + version + "__" + slug + ".sql" : version + "_" + slug + ".down.sql");
        try {
            Files.createDirectories(dir);
            if (Files.exists(upFile) || Files.exists(downFile)) {
                throw new SwitchbackException(ErrorCode.CONFIG, upFile + " or " + downFile + " already exists; nothing was written");
            }
            Files.writeString(upFile, "-- " + description + "\n" + up);
            Files.writeString(downFile, "-- undo: " + description + "\n" + down);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create the migration files in " + dir + ": " + e.getMessage(), e);
        }
        return List.of(upFile, downFile);
    }

    /** The version after {@code last}: a timestamp stays a timestamp, otherwise the last group counts up, width kept. */
    static String next(String last) {
        if (last.matches("\\d{14}")) {
            String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            return now.compareTo(last) > 0 ? now : new BigInteger(last).add(BigInteger.ONE).toString();
        }
        int cut = Math.max(last.lastIndexOf('.'), last.lastIndexOf('_')) + 1;
        String group = last.substring(cut);
        String bumped = new BigInteger(group).add(BigInteger.ONE).toString();
        while (bumped.length() < group.length()) {
            bumped = "0" + bumped;
        }
        return last.substring(0, cut) + bumped;
    }

    private static String fileName(String script) {
        int slash = Math.max(script.lastIndexOf('/'), script.lastIndexOf('\\'));
        return script.substring(slash + 1);
    }
}
