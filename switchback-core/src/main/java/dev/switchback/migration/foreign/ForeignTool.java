package dev.switchback.migration.foreign;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The migration tools whose history {@code import} reads, each with the table it keeps by default (the first that
 * exists is read when several are listed).
 */
public enum ForeignTool {
    FLYWAY("flyway", "flyway_schema_history", "schema_version"),
    LIQUIBASE("liquibase", "databasechangelog"),
    GOLANG_MIGRATE("golang-migrate", "schema_migrations"),
    GOOSE("goose", "goose_db_version"),
    DBMATE("dbmate", "schema_migrations"),
    RAILS("rails", "schema_migrations"),
    EF_CORE("ef-core", "__EFMigrationsHistory"),
    /** A home-made table: {@code table:NAME[:COLUMN]}. */
    TABLE("table");

    private final String cliName;
    private final List<String> tables;

    ForeignTool(String cliName, String... tables) {
        this.cliName = cliName;
        this.tables = List.of(tables);
    }

    public String cliName() {
        return cliName;
    }

    /** The tables the tool keeps its history in by default, in the order tried. */
    public List<String> defaultTables() {
        return tables;
    }

    /** The names {@code --from} accepts. */
    public static final String ACCEPTED = String.join(", ", Arrays.stream(values())
            .map(t -> t == TABLE ? "table:NAME[:COLUMN]" : t.cliName).toList());

    /** The tool by its command-line name, or null. */
    static ForeignTool byName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (ForeignTool t : values()) {
            if (t.cliName.equals(n)) {
                return t;
            }
        }
        return null;
    }
}
