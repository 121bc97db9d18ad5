package dev.switchback.migration;

/** The schema drift settings: {@code drift.ignore} and {@code migrations.onDrift}; env {@code SWITCHBACK_DRIFT_IGNORE}, {@code SWITCHBACK_MIGRATIONS_ON_DRIFT}. */
public enum DriftSetting implements SettingKey {
    IGNORE(Spec.of("drift.ignore", null, "objects drift leaves out: kind:pattern (table:audit_*, index:*_tmp) or a bare pattern")),
    ON_DRIFT(Spec.of("migrations.onDrift", "warn", "what migrate does on a database whose schema drifted from its snapshot: "
            + "warn (log and apply) or fail (refuse, exit 4); checked only when there is something to apply"));

    private final Spec spec;

    DriftSetting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
