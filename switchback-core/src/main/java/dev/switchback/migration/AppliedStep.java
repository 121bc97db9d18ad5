package dev.switchback.migration;

/** One migration applied (or undone) by a command, with its time. */
public record AppliedStep(String version, String description, String script, long executionMs, int statements,
                          boolean resumed) {
}
