package dev.switchback.migration.foreign;

import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlywayChecksumTest {
    /** The values were computed outside Java (zlib's crc32 over the lines joined without terminators). */
    @Test
    void isTheCrc32OfTheLinesWithoutTheirTerminators() {
        assertThat(FlywayChecksum.of("CREATE TABLE a (id INT);\n")).isEqualTo(-2090711421);
        assertThat(FlywayChecksum.of("-- second\r\nCREATE TABLE b (id INT);\r\n")).isEqualTo(-1420537472);
    }

    @Test
    void lineEndingsAndATrailingNewlineDoNotCount() {
        int lf = FlywayChecksum.of("a\nb\n");
        assertThat(FlywayChecksum.of("a\r\nb")).isEqualTo(lf);
        assertThat(FlywayChecksum.of("a\rb\r")).isEqualTo(lf);
        assertThat(FlywayChecksum.of("a\nc\n")).isNotEqualTo(lf);
    }

    @Test
    void fromNamesAToolOrAHomeMadeTable() {
        assertThat(ForeignSource.parse("flyway", null).tables()).containsExactly("flyway_schema_history", "schema_version");
        assertThat(ForeignSource.parse("Golang-Migrate", null).tool()).isEqualTo(ForeignTool.GOLANG_MIGRATE);
        assertThat(ForeignSource.parse("goose", "app.goose_versions").tables()).containsExactly("app.goose_versions");
        ForeignSource home = ForeignSource.parse("table:migrations:filename", null);
        assertThat(home.tool()).isEqualTo(ForeignTool.TABLE);
        assertThat(home.tables()).isEqualTo(List.of("migrations"));
        assertThat(home.column()).isEqualTo("filename");
        assertThat(ForeignSource.parse("table:migrations", null).column()).isNull();
    }

    @Test
    void anUnknownToolOrABadNameIsRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> ForeignSource.parse("sqitch", null)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("accepted: flyway, liquibase, golang-migrate, goose, dbmate, rails, ef-core, table:NAME[:COLUMN]");
        assertThatThrownBy(() -> ForeignSource.parse("table:", null)).hasMessageContaining("table:NAME");
        assertThatThrownBy(() -> ForeignSource.parse("flyway", "x; DROP TABLE y")).hasMessageContaining("is not a table name");
        assertThatThrownBy(() -> ForeignSource.parse("table:m:a.b", null)).hasMessageContaining("is not a column name");
    }
}
