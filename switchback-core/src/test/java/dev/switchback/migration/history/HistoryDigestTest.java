package dev.switchback.migration.history;

import dev.switchback.migration.AppliedMigration;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client-side history digest (for a server without a row hash): any difference in a column the plan reads shows. */
class HistoryDigestTest {
    private static AppliedMigration row(int rank, String version, String script, String checksum, String state, int done) {
        return new AppliedMigration(rank, version, null, AppliedMigration.TYPE_SQL, script, checksum, null, null, 0, state,
                done, null, false);
    }

    @Test
    void equalRowsDigestEqualAndEveryPlannedColumnCounts() {
        List<AppliedMigration> rows = List.of(row(1, "1", "V1__a.sql", "aa", "success", 1), row(2, "2", "V2__b.sql", "bb", "success", 2));
        String digest = HistoryTable.digest(rows);
        assertThat(digest).hasSize(64 + "sha256 ".length()).isEqualTo(HistoryTable.digest(List.copyOf(rows)));

        assertThat(HistoryTable.digest(List.of(rows.get(0)))).isNotEqualTo(digest);
        assertThat(HistoryTable.digest(List.of(rows.get(1), rows.get(0)))).isNotEqualTo(digest);
        for (AppliedMigration changed : List.of(row(3, "2", "V2__b.sql", "bb", "success", 2), row(2, "02", "V2__b.sql", "bb", "success", 2),
                row(2, "2", "V2__c.sql", "bb", "success", 2), row(2, "2", "V2__b.sql", "bc", "success", 2),
                row(2, "2", "V2__b.sql", "bb", "partial", 2), row(2, "2", "V2__b.sql", "bb", "success", 1),
                row(2, "2", "V2__b.sql", null, "success", 2))) {
            assertThat(HistoryTable.digest(List.of(rows.get(0), changed))).as("%s", changed).isNotEqualTo(digest);
        }
    }

    @Test
    void fieldsCannotRunTogetherAndNullIsNotEmpty() {
        assertThat(HistoryTable.digest(List.of(row(1, "1", "ab", "c", "success", 0))))
                .isNotEqualTo(HistoryTable.digest(List.of(row(1, "1", "a", "bc", "success", 0))));
        assertThat(HistoryTable.digest(List.of(row(1, "1", "s", null, "success", 0))))
                .isNotEqualTo(HistoryTable.digest(List.of(row(1, "1", "s", "", "success", 0))));
        assertThat(HistoryTable.digest(List.of(row(1, "1", "s", "-;", "success", 0))))
                .isNotEqualTo(HistoryTable.digest(List.of(row(1, "1", "s", null, "success", 0))));
    }
}
