package dev.switchback.backup;

import java.util.List;

/**
 * {@code manifest.json} of one backup. The database URL is stored masked; file set contents are never echoed.
 *
 * @param id            sortable by time
 * @param schemaVersion the highest applied migration when the backup was taken, or null
 * @param release       the release this backup belongs to, when known
 * @param encrypted     whether the data files are AES-256-GCM encrypted
 * @param files         every file of the backup with its size and SHA-256 (of the bytes on disk)
 * @param identity      the database it was taken from (dialect, host, port, name, or the SQLite file's real path);
 *                      null in backups written before it was recorded
 * @param cipher        how encrypted files are sealed: {@code tink-streaming-aead} (bound to the backup id and file
 *                      name), or null for the original segmented AES-GCM format
 * @param filePatterns  backup.files as it was when the backup was taken: a restore removes only files these match
 *                      that the backup does not hold (null in backups written before it was recorded: none removed)
 */
public record Manifest(int format, String id, String label, String created, String dialect, String database,
                       String schemaVersion, String release, String tool, String toolVersion, boolean encrypted,
                       long sizeBytes, List<FileEntry> files, String identity, String cipher,
                       List<String> filePatterns) {
    public static final int FORMAT = 1;

    /**
     * @param role {@code database} or {@code files}
     */
    public record FileEntry(String name, String role, long bytes, String sha256) {
    }

    public FileEntry databaseFile() {
        return files.stream().filter(f -> f.role().equals("database")).findFirst().orElseThrow();
    }

    public FileEntry fileSet() {
        return files.stream().filter(f -> f.role().equals("files")).findFirst().orElse(null);
    }
}
