package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.discovery.Checksum;
import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text, GitHub and markdown renderings of one small project, and ignore directives next to statements. */
class LintOutputTest {
    static final Migration BASE = migration("1", "db/001_base.sql", """
            CREATE TABLE orders (id integer PRIMARY KEY, customer_id bigint NOT NULL, note text, placed_at timestamptz);
            """, "db/001_base.down.sql");
    static final Migration INDEX = migration("2", "db/002_index.sql", """
            -- switchback:ignore unverified-statement the DO block only grants a role
            CREATE INDEX orders_placed_idx ON orders (placed_at);
            ALTER TABLE orders ADD COLUMN state text DEFAULT 'new';
            UPDATE orders SET note = 'a, b: 100%';
            DO $$ BEGIN GRANT SELECT ON orders TO reporting; END $$;
            """, null);
    static final Migration CONTRACT = migration("3", "db/003_contract.sql", """
            -- switchback:phase=contract
            ALTER TABLE orders DROP COLUMN note;
            """, "db/003_contract.down.sql");

    static Migration migration(String version, String script, String sql, String down) {
        return new Migration(Version.parse(version), script, script, sql, down, down == null ? null : "SELECT 1;",
                Directives.parse(script, sql), Checksum.of(sql));
    }

    static LintReport report() {
        return new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true).lint(List.of(BASE), List.of(INDEX, CONTRACT));
    }

    @Test
    void githubPrintsOneWorkflowCommandPerFindingEscaped() {
        assertThat(GithubAnnotations.render(report()).lines().toList()).containsExactly(
                "::error file=db/002_index.sql,line=2,title=create-index-blocking::CREATE INDEX orders_placed_idx on orders takes a "
                        + "ShareLock: writes to orders wait until the whole index is built. Fix: CREATE INDEX CONCURRENTLY "
                        + "orders_placed_idx ON orders ..., alone in a migration whose first line is -- switchback:no-transaction",
                "::warning file=db/002_index.sql,line=4,title=unbatched-backfill::UPDATE of every row of orders in one statement: "
                        + "it locks each row it changes until the migration commits, and bloats the table. Fix: backfill in batches "
                        + "(WHERE id BETWEEN ...) in their own migrations or a job, separate from schema changes",
                "::notice file=db/002_index.sql,line=5,title=unverified-statement (ignored)::lint cannot check this statement: a DO "
                        + "block runs procedural code that lint does not read. Ignored: the DO block only grants a role",
                "::notice file=db/003_contract.sql,line=2,title=drop-column::DROP COLUMN note on orders: the serving release still "
                        + "reads or writes it (SELECT * and INSERTs naming it fail) (expected in this contract migration). Fix: stop "
                        + "using the column in one release, then drop it in a migration marked -- switchback:phase=contract");
        assertThat(GithubAnnotations.property("a,b:c%\n")).isEqualTo("a%2Cb%3Ac%25%0A");
        assertThat(GithubAnnotations.data("50% done\r\nnext")).isEqualTo("50%25 done%0D%0Anext");
    }

    @Test
    void markdownFillsInTheChecklistPerMigration() {
        String md = MarkdownChecklist.render(report(), null);
        assertThat(md).startsWith("## Migration checklist\n\n`switchback lint`: 2 migrations, 5 statements: 1 error, 1 warning, "
                + "1 info, 1 ignored.\n");
        assertThat(md).contains("### `db/002_index.sql`\n\nVersion 2 · phase: expand · runs in one transaction\n\n"
                + "| # | Line | Statement | Lock | Rewrites table |\n| --- | --- | --- | --- | --- |\n"
                + "| 1 | 2 | `CREATE INDEX orders_placed_idx ON orders (placed_at)` | ShareLock on orders (blocks writes) while the "
                + "index builds | no |\n"
                + "| 2 | 3 | `ALTER TABLE orders ADD COLUMN state text DEFAULT 'new'` | AccessExclusiveLock on orders (blocks reads "
                + "and writes) briefly | no |\n"
                + "| 3 | 4 | `UPDATE orders SET note = 'a, b: 100%'` | RowExclusiveLock on orders (reads and writes continue) | no |\n"
                + "| 4 | 5 | `DO $$ BEGIN GRANT SELECT ON orders TO reporting; END $$` | unknown (not verified) | cannot tell |\n");
        assertThat(md).contains("- [ ] **Lock behaviour:** line 2 `create-index-blocking` (error): CREATE INDEX orders_placed_idx");
        assertThat(md).contains("- [x] **Compatibility with the previous release:** nothing the serving release uses is dropped");
        assertThat(md).contains("- [ ] **Rollback path:** no down migration. Restore the backup migrate takes before it "
                + "(`switchback backup restore pre-2`), or write a corrective migration");
        assertThat(md).contains("- [ ] **Backfill:** line 4 `unbatched-backfill` (warning): UPDATE of every row of orders");
        assertThat(md).contains("Accepted with `-- switchback:ignore`:\n- `unverified-statement` at line 5: the DO block only grants a role\n");
        assertThat(md).contains("### `db/003_contract.sql`\n\nVersion 3 · phase: contract");
        assertThat(md).contains("- [x] **Compatibility with the previous release:** contract step: apply it only after the previous "
                + "release is gone (`drop-column` at line 2)");
        assertThat(md).contains("- [x] **Rollback path:** down migration `db/003_contract.down.sql`: `switchback rollback --version 3`");
        assertThat(md).contains("- [x] **Lock behaviour:** only brief catalog locks on existing tables (line 2)");
    }

    @Test
    void textEndsWithASummary() {
        String text = TextReport.render(report());
        assertThat(text).startsWith("db/002_index.sql:2: error create-index-blocking: CREATE INDEX orders_placed_idx on orders "
                + "takes a ShareLock");
        assertThat(text).contains("db/002_index.sql:5: warning unverified-statement (ignored: the DO block only grants a role): ");
        assertThat(text).endsWith("\n2 migrations, 5 statements: 1 error, 1 warning, 1 info, 1 ignored.\n");
        assertThat(report().blocking()).extracting(Finding::rule).containsExactly("create-index-blocking");
    }

    @Test
    void ignoreCommentsNextToAStatementMustNameAKnownRuleAndAReason() {
        Migration bad = migration("4", "db/004_bad.sql", """
                CREATE INDEX a_idx ON orders (note);
                -- switchback:ignore create-index-blocking
                CREATE INDEX b_idx ON orders (note);
                CREATE INDEX c_idx ON orders (note); -- switchback:ignore create-index-blockng tiny table
                """, null);
        assertThatThrownBy(() -> new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true).lint(List.of(BASE), List.of(bad)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("db/004_bad.sql:2: 'switchback:ignore create-index-blocking' gives no reason")
                            .contains("db/004_bad.sql:4: switchback:ignore names unknown rule 'create-index-blockng'");
                });
    }

    @Test
    void aTrailingIgnoreCommentCoversItsStatementOnly() {
        Migration m = migration("4", "db/004_idx.sql", """
                CREATE INDEX a_idx ON orders (note); -- switchback:ignore create-index-blocking orders is empty in this product
                CREATE INDEX b_idx ON orders (note);
                """, null);
        LintReport r = new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true).lint(List.of(BASE), List.of(m));
        assertThat(r.findings()).extracting(Finding::line, Finding::ignored)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "orders is empty in this product"),
                        org.assertj.core.groups.Tuple.tuple(2, null));
    }

    @Test
    void disabledRulesAndChangedSeveritiesApply() {
        LintConfig config = LintConfig.from(java.util.Map.of(LintSetting.DISABLE, "create-index-blocking",
                LintSetting.ERROR, "unbatched-backfill"));
        LintReport r = new Linter(config, SqlFlavor.POSTGRES, 15, true).lint(List.of(BASE), List.of(INDEX));
        assertThat(r.findings()).extracting(Finding::rule, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("unbatched-backfill", Severity.ERROR),
                org.assertj.core.groups.Tuple.tuple("unverified-statement", Severity.WARNING));
    }

    @Test
    void onlyADropOrTruncateCascadeWidensTheLocksBeyondWhatLintNames() {
        Migration m = migration("4", "db/004_cascade.sql", """
                ALTER TABLE orders ADD COLUMN parent_id integer REFERENCES orders (id) ON DELETE CASCADE;
                DROP TABLE orders CASCADE;
                """, null);
        List<StatementLint> statements = new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true)
                .lint(List.of(BASE), List.of(m)).migrations().get(0).statements();
        assertThat(statements.get(0).locksKnown()).isTrue();
        assertThat(statements.get(1).locksKnown()).isFalse();
        assertThat(statements.get(1).lock()).isEqualTo("AccessExclusiveLock on orders (blocks reads and writes) briefly; also on "
                + "whatever CASCADE reaches");
    }
}
