package dev.switchback.migration;

/**
 * Something wrong between the migration files and the history.
 *
 * @param type one of {@code checksum_mismatch}, {@code missing_file}, {@code failed}, {@code partial}, {@code out_of_order},
 *             {@code schema_drift} (an object of the live schema differs from what the applied migrations make)
 */
public record Problem(String type, String version, String script, String message) {
    public static final String CHECKSUM_MISMATCH = "checksum_mismatch";
    public static final String MISSING_FILE = "missing_file";
    public static final String FAILED = "failed";
    public static final String PARTIAL = "partial";
    public static final String OUT_OF_ORDER = "out_of_order";
    public static final String SCHEMA_DRIFT = "schema_drift";
}
