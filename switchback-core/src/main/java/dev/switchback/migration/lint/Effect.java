package dev.switchback.migration.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a statement is expected to do to existing relations: the locks it takes (PostgreSQL), whether it rewrites a
 * table, and how long the lock lasts, in words.
 */
final class Effect {
    private final Map<String, PgLock> locks = new TreeMap<>();
    /** TRUE, FALSE, or null when lint cannot tell. */
    Boolean rewrite = Boolean.FALSE;
    /** "briefly", "while the index builds", ... */
    String duration = "briefly";
    /** For databases without PostgreSQL lock names: the behaviour in words. */
    String text;
    /** False when lint does not know which locks the statement takes. */
    boolean known = true;
    /** The locks listed are a lower bound: CASCADE reaches objects lint does not follow. */
    boolean partial;

    /** Expects {@code lock} on {@code relation}, keeping the strongest when several apply. */
    void lock(Name relation, PgLock lock) {
        if (relation != null) {
            locks.merge(relation.key(), lock, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    /** Combines the verdicts of several actions: any rewrite wins, then "cannot tell". */
    void rewrite(Boolean r, String during) {
        if (Boolean.TRUE.equals(r)) {
            rewrite = Boolean.TRUE;
        } else if (r == null && !Boolean.TRUE.equals(rewrite)) {
            rewrite = null;
        }
        if (!Boolean.FALSE.equals(r)) {
            duration = during;
        }
    }

    void longer(String during) {
        if (duration.equals("briefly")) {
            duration = during;
        }
    }

    Map<String, PgLock> locks() {
        return locks;
    }

    List<RelationLock> expected() {
        List<RelationLock> out = new ArrayList<>();
        locks.forEach((rel, l) -> out.add(new RelationLock(rel, l.mode())));
        return out;
    }

    /** "ShareLock on orders (blocks writes) while the index builds", for the checklist. */
    String describe() {
        if (text != null) {
            return text;
        }
        if (!known) {
            return "unknown (not verified)";
        }
        if (locks.isEmpty()) {
            return "none on existing tables";
        }
        List<String> parts = new ArrayList<>();
        locks.forEach((rel, l) -> parts.add(l.mode() + " on " + rel + " (" + l.effect() + ")"));
        return String.join(", ", parts) + (maxLock().ordinal() >= PgLock.SHARE_UPDATE_EXCLUSIVE.ordinal() ? " " + duration : "")
                + (partial ? "; also on whatever CASCADE reaches" : "");
    }

    PgLock maxLock() {
        return locks.values().stream().max(Enum::compareTo).orElse(PgLock.ACCESS_SHARE);
    }
}
