package dev.switchback.migration;

/**
 * The tables other migration tools create, written as each tool creates them on PostgreSQL and on MariaDB/MySQL
 * (column names, types, nullability and keys as in the tools' own table definitions).
 */
final class ForeignTables {
    private ForeignTables() {
    }

    static String[] flyway(String kind, String table) {
        if (kind.equals("postgresql")) {
            return new String[]{"CREATE TABLE \"" + table + "\" (\"installed_rank\" INT NOT NULL, \"version\" VARCHAR(50), "
                    + "\"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, \"script\" VARCHAR(1000) NOT NULL, "
                    + "\"checksum\" INTEGER, \"installed_by\" VARCHAR(100) NOT NULL, \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(), "
                    + "\"execution_time\" INTEGER NOT NULL, \"success\" BOOLEAN NOT NULL)",
                    "ALTER TABLE \"" + table + "\" ADD CONSTRAINT \"" + table + "_pk\" PRIMARY KEY (\"installed_rank\")",
                    "CREATE INDEX \"" + table + "_s_idx\" ON \"" + table + "\" (\"success\")"};
        }
        return new String[]{"CREATE TABLE `" + table + "` (`installed_rank` INT NOT NULL, `version` VARCHAR(50), "
                + "`description` VARCHAR(200) NOT NULL, `type` VARCHAR(20) NOT NULL, `script` VARCHAR(1000) NOT NULL, "
                + "`checksum` INT, `installed_by` VARCHAR(100) NOT NULL, `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                + "`execution_time` INT NOT NULL, `success` BOOL NOT NULL, CONSTRAINT `" + table + "_pk` PRIMARY KEY (`installed_rank`)) ENGINE=InnoDB",
                "CREATE INDEX `" + table + "_s_idx` ON `" + table + "` (`success`)"};
    }

    static String[] golangMigrate(String kind) {
        return new String[]{"CREATE TABLE IF NOT EXISTS " + q(kind, "schema_migrations") + " (version bigint not null primary key, dirty boolean not null)"};
    }

    /** Goose records version 0 when it creates its table. */
    static String[] goose(String kind) {
        return new String[]{"CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, "
                + "is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))",
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)"};
    }

    static String[] dbmate(String kind) {
        return new String[]{"create table if not exists " + q(kind, "schema_migrations") + " (version varchar(128) primary key)"};
    }

    static String[] rails(String kind) {
        return new String[]{kind.equals("postgresql")
                ? "CREATE TABLE \"schema_migrations\" (\"version\" character varying NOT NULL PRIMARY KEY)"
                : "CREATE TABLE `schema_migrations` (`version` varchar(255) NOT NULL PRIMARY KEY)"};
    }

    static String[] efCore(String kind) {
        return new String[]{kind.equals("postgresql")
                ? "CREATE TABLE IF NOT EXISTS \"__EFMigrationsHistory\" (\"MigrationId\" character varying(150) NOT NULL, "
                + "\"ProductVersion\" character varying(32) NOT NULL, CONSTRAINT \"PK___EFMigrationsHistory\" PRIMARY KEY (\"MigrationId\"))"
                : "CREATE TABLE IF NOT EXISTS `__EFMigrationsHistory` (`MigrationId` varchar(150) CHARACTER SET utf8mb4 NOT NULL, "
                + "`ProductVersion` varchar(32) CHARACTER SET utf8mb4 NOT NULL, CONSTRAINT `PK___EFMigrationsHistory` "
                + "PRIMARY KEY (`MigrationId`)) CHARACTER SET=utf8mb4"};
    }

    /** Liquibase writes lower-case names on PostgreSQL and upper-case ones on MySQL/MariaDB. */
    static String[] liquibase(String kind) {
        String time = kind.equals("postgresql") ? "TIMESTAMP WITHOUT TIME ZONE" : "DATETIME";
        String name = kind.equals("postgresql") ? "databasechangelog" : "DATABASECHANGELOG";
        return new String[]{"CREATE TABLE " + name + " (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, "
                + "FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED " + time + " NOT NULL, ORDEREXECUTED INT NOT NULL, "
                + "EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), "
                + "TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))"};
    }

    /** Seed 001's home-made table. */
    static String[] seed001(String kind) {
        return new String[]{"CREATE TABLE migrations (id " + (kind.equals("postgresql") ? "SERIAL" : "INT AUTO_INCREMENT")
                + " PRIMARY KEY, filename VARCHAR(255) NOT NULL UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"};
    }

    private static String q(String kind, String name) {
        return kind.equals("postgresql") ? "\"" + name + "\"" : "`" + name + "`";
    }
}
