package dev.switchback.deploy;

import java.util.List;

/**
 * What an upgrade rollback did: traffic first, then the schema as asked.
 *
 * @param schema            {@code none}, {@code down} or {@code restore}
 * @param migrations        the migrations the rolled-back release applied
 * @param schemaMessage     what happened to the schema, or what the operator should know about it
 */
public record RollbackOutcome(String from, String to, String release, String rolledBackRelease, boolean restarted,
                              String schema, List<String> migrations, String schemaMessage) {
}
