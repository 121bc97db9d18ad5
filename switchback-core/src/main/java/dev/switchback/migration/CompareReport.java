package dev.switchback.migration;

import dev.switchback.migration.schema.Difference;

import java.util.List;

/**
 * Two databases side by side: {@code left} is the configured one, {@code right} the other.
 *
 * @param history every difference between the two histories, one sentence each
 * @param schema  every object that differs, {@code expected} being the left database's and {@code actual} the right's
 */
public record CompareReport(String left, String right, List<String> history, List<Difference> schema) {
    public boolean clean() {
        return history.isEmpty() && schema.isEmpty();
    }
}
