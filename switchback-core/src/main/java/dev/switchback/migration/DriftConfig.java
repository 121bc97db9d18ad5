package dev.switchback.migration;

import dev.switchback.migration.schema.DriftIgnore;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What counts as drift and what migrate does about it.
 *
 * @param ignore  objects left out of every drift check (drift, verify, status, compare, migrate's check)
 * @param onDrift whether migrate refuses to apply anything on a drifted database
 */
public record DriftConfig(DriftIgnore ignore, OnDrift onDrift) {
    public static final DriftConfig DEFAULT = new DriftConfig(DriftIgnore.NONE, OnDrift.WARN);

    public enum OnDrift {
        WARN, FAIL
    }

    public static DriftConfig from(Map<DriftSetting, String> values) {
        String list = values.get(DriftSetting.IGNORE);
        DriftIgnore ignore = list == null ? DriftIgnore.NONE : DriftIgnore.of(Arrays.asList(list.split("[,\n]")));
        String on = values.getOrDefault(DriftSetting.ON_DRIFT, DriftSetting.ON_DRIFT.defaultValue());
        OnDrift onDrift = switch (on == null ? "warn" : on.strip().toLowerCase(Locale.ROOT)) {
            case "warn" -> OnDrift.WARN;
            case "fail" -> OnDrift.FAIL;
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "migrations.onDrift is '" + on + "'; use warn or fail");
        };
        return new DriftConfig(ignore, onDrift);
    }

    /** These settings with more patterns to ignore (a command's --ignore). */
    public DriftConfig ignoring(List<String> more) {
        return more == null || more.isEmpty() ? this : new DriftConfig(ignore.and(more), onDrift);
    }
}
