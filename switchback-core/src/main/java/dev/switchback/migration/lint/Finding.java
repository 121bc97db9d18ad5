package dev.switchback.migration.lint;

/**
 * One problem lint found.
 *
 * @param rule      the rule id (API: stable across versions)
 * @param severity  after the configuration and the migration's phase
 * @param file      the script, as migrations name it
 * @param line      1-based line in the script
 * @param statement the statement, shortened to one line
 * @param message   what is wrong and where
 * @param fix       the safe alternative
 * @param ignored   the reason given in {@code -- switchback:ignore}, or null when the finding stands
 */
public record Finding(String rule, Severity severity, String file, int line, String statement, String message, String fix,
                      String ignored) {

    /** An error that is not ignored: lint exits 1 and migrate refuses. */
    public boolean blocks() {
        return severity == Severity.ERROR && ignored == null;
    }

    /** {@code file:line}, as editors and CI logs link it. */
    public String location() {
        return file + ":" + line;
    }
}
