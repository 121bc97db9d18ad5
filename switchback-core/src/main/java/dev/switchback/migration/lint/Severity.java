package dev.switchback.migration.lint;

import java.util.Locale;

/** How much a finding matters: errors make {@code lint} exit 1 and {@code migrate} refuse (exit 5). */
public enum Severity {
    ERROR, WARNING, INFO;

    /** The lower-case name used in every output and in switchback.yml. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
