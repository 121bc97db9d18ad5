package dev.switchback.migration.lint;

import dev.switchback.migration.Migration;
import dev.switchback.migration.discovery.LocationScanner;
import dev.switchback.migration.discovery.MigrationResolver;
import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lint corpus, table-driven: every folder under {@code src/test/resources/lint} is a project of migrations, linted
 * as {@code switchback lint} lints a project, and every up migration states the findings it must produce in its first
 * lines: {@code -- expect: none} or {@code -- expect: rule@line, rule@line/info, rule@line/ignored}. A severity is
 * written only when it differs from the rule's default. {@code lint.properties} in a folder sets {@code flavor}
 * (postgres, mysql, sqlite), {@code pgVersion}, {@code engineLockTimeout} and {@code mode} ({@code each}, or {@code run}
 * to judge the files as one migrate run does).
 */
class LintCorpusTest {
    private static final Pattern EXPECT = Pattern.compile("^--\\s*expect:\\s*(.*)$", Pattern.MULTILINE);

    static Path corpus() {
        try {
            return Path.of(LintCorpusTest.class.getResource("/lint").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One row of the table: a migration, what it must produce, what it produced. */
    record Row(String project, String script, TreeSet<String> expected, TreeSet<String> actual) {
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                rows.addAll(project(dir));
            }
        }
        return rows;
    }

    private static List<Row> project(Path dir) throws IOException {
        Properties p = new Properties();
        Path props = dir.resolve("lint.properties");
        if (Files.exists(props)) {
            try (Reader r = Files.newBufferedReader(props)) {
                p.load(r);
            }
        }
        SqlFlavor flavor = SqlFlavor.valueOf(p.getProperty("flavor", "postgres").toUpperCase(Locale.ROOT));
        int pgVersion = Integer.parseInt(p.getProperty("pgVersion", "15"));
        boolean engineLockTimeout = Boolean.parseBoolean(p.getProperty("engineLockTimeout", "true"));
        List<Migration> migrations = MigrationResolver.resolve(new LocationScanner(dir, LintCorpusTest.class.getClassLoader())
                .scan(List.of(".")), flavor);
        Linter linter = new Linter(LintConfig.DEFAULT, flavor, pgVersion, engineLockTimeout);
        LintReport report = "run".equals(p.getProperty("mode")) ? linter.lintRun(List.of(), migrations)
                : linter.lint(List.of(), migrations);
        List<Row> rows = new ArrayList<>();
        for (Migration m : migrations) {
            TreeSet<String> actual = new TreeSet<>();
            for (Finding f : report.of(m.script())) {
                Rule rule = Rule.byId(f.rule());
                actual.add(f.rule() + "@" + f.line() + (f.severity() != rule.defaultSeverity() ? "/" + f.severity().label() : "")
                        + (f.ignored() != null ? "/ignored" : ""));
            }
            rows.add(new Row(dir.getFileName().toString(), m.script(), expected(m), actual));
        }
        return rows;
    }

    private static TreeSet<String> expected(Migration m) {
        TreeSet<String> expected = new TreeSet<>();
        Matcher matcher = EXPECT.matcher(m.upSql());
        boolean found = false;
        while (matcher.find()) {
            found = true;
            for (String item : matcher.group(1).split(",")) {
                String x = item.strip();
                if (!x.isEmpty() && !x.equals("none")) {
                    expected.add(x);
                }
            }
        }
        if (!found) {
            throw new AssertionError(m.script() + " has no '-- expect:' line");
        }
        return expected;
    }

    @TestFactory
    Stream<DynamicTest> everyMigrationProducesExactlyItsExpectedFindings() throws IOException {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.project() + "/" + row.script(), () ->
                assertThat(row.actual()).as("findings of %s/%s", row.project(), row.script())
                        .containsExactlyElementsOf(row.expected())));
    }

    @Test
    void theCorpusCoversEveryRuleWithAtLeastSixtyFiles() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(60);
        TreeSet<String> fired = new TreeSet<>();
        rows.forEach(r -> r.expected().forEach(e -> fired.add(e.replaceFirst("@.*", ""))));
        for (Rule rule : Rule.values()) {
            assertThat(fired).as("a corpus file where %s fires", rule.id()).contains(rule.id());
        }
        assertThat(rows.stream().filter(r -> r.expected().isEmpty()).count())
                .as("look-alikes that must not fire").isGreaterThanOrEqualTo(20);
    }
}
