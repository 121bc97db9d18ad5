package dev.switchback.migration;

/**
 * What unlock found and did.
 *
 * @param holder  who holds (or last recorded holding) the lock, or null
 * @param live    whether that holder still holds it
 * @param cleared whether a record or lease was removed
 */
public record UnlockResult(String holder, String since, boolean live, boolean cleared, String message) {
}
