package dev.switchback.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Settings;
import dev.switchback.migration.StatusReport;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.discovery.LocationScanner;
import dev.switchback.migration.discovery.MigrationResolver;
import dev.switchback.migration.discovery.ScriptSource;
import dev.switchback.migration.lint.Finding;
import dev.switchback.migration.lint.GithubAnnotations;
import dev.switchback.migration.lint.LintConfig;
import dev.switchback.migration.lint.LintReport;
import dev.switchback.migration.lint.LintSetting;
import dev.switchback.migration.lint.Linter;
import dev.switchback.migration.lint.MarkdownChecklist;
import dev.switchback.migration.lint.MigrationLint;
import dev.switchback.migration.lint.Rehearsal;
import dev.switchback.migration.lint.RehearsalReport;
import dev.switchback.migration.lint.TextReport;
import dev.switchback.migration.sql.SqlFlavor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "lint", description = "Check migrations for statements that block traffic or break the release still serving, "
        + "before anything runs. Exit 1 when an error finding remains.")
final class LintCommand implements Callable<Integer> {
    private static final Pattern VERSION = Pattern.compile("^[VU]?(\\d+(?:[._]\\d+)*)[_.]");
    private static final List<String> FORMATS = List.of("text", "json", "markdown", "github");

    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "migration files or folders (default: the configured locations)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json, markdown (the PR checklist) or github (annotations)")
    String format = "text";

    @Option(names = "--pending-only", description = "only the migrations pending on the database, judged as one migrate run judges them")
    boolean pendingOnly;

    @Option(names = "--rehearse", description = "run the pending migrations on a scratch copy of the database's schema and report "
            + "what the server did: PostgreSQL's locks and rewrites, whether MariaDB accepts ALGORITHM=INPLACE, LOCK=NONE")
    boolean rehearse;

    @Option(names = "--scratch-url", paramLabel = "URL", description = "with --rehearse: a database that has the target's schema, "
            + "used instead of a pg_dump copy (it is changed, never dropped)")
    String scratchUrl;

    @Option(names = "--dialect", paramLabel = "DB", description = "postgresql, mysql or sqlite (default: from database.url)")
    String dialect;

    @Option(names = "--pg-version", paramLabel = "N", description = "PostgreSQL major version to judge against (lint.pgVersion)")
    String pgVersion;

    @Override
    public Integer call() {
        String fmt = root.json ? "json" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(fmt)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Unknown --format '" + format + "'; use one of " + String.join(", ", FORMATS));
        }
        if (scratchUrl != null && !rehearse) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--scratch-url only makes sense with --rehearse");
        }
        if (rehearse && !files.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--rehearse runs the migrations pending on the database; do not name files");
        }
        LintConfig lint = lintConfig(root, pgVersion);
        Migrator migrator = root.migrator(Map.of(), MigrationListener.NONE).withLint(lint);
        MigrationConfig config = migrator.config();
        RehearsalReport rehearsal = null;
        LintReport report;
        if (rehearse) {
            // the same pg_dump and psql as backups use (backup.pgDump, backup.psql)
            var tools = root.backupConfig();
            rehearsal = new Rehearsal(config, lint, tools.pgDump(), tools.psql()).run(migrator, scratchUrl);
            report = rehearsal.lint();
        } else {
            SqlFlavor flavor = flavor(config);
            Linter linter = new Linter(lint, flavor, lint.pgVersion(pendingOnly ? serverMajor(config, flavor) : null),
                    !config.statementLockTimeout().isZero());
            report = pendingOnly ? pending(migrator, linter, flavor) : files.isEmpty()
                    ? linter.lint(List.of(), migrator.migrations(flavor)) : named(migrator, linter, flavor);
        }
        Output out = root.output();
        switch (fmt) {
            case "json" -> out.json(json(report, rehearsal));
            case "markdown" -> System.out.print(MarkdownChecklist.render(report, rehearsal));
            case "github" -> System.out.print(GithubAnnotations.render(report));
            default -> {
                System.out.print(TextReport.render(report));
                if (rehearsal != null) {
                    printRehearsal(out, rehearsal);
                }
            }
        }
        return report.blocking().isEmpty() && (rehearsal == null || !rehearsal.failed()) ? 0 : 1;
    }

    /** The lint: settings, flag over environment over file over default. Also used by migrate. */
    static LintConfig lintConfig(SwitchbackCommand root, String pgVersionFlag) {
        Map<String, String> env = System.getenv();
        Path file = ConfigFile.locate(root.config, env);
        Map<LintSetting, String> flags = new EnumMap<>(LintSetting.class);
        if (pgVersionFlag != null) {
            flags.put(LintSetting.PG_VERSION, pgVersionFlag);
        }
        return LintConfig.from(Settings.resolve(LintSetting.class, ConfigFile.select(LintSetting.class, ConfigFile.values(file, env)),
                env, flags));
    }

    private SqlFlavor flavor(MigrationConfig config) {
        String d = dialect == null ? null : dialect.toLowerCase(Locale.ROOT);
        if (d == null) {
            SqlFlavor fromUrl = Dialects.forUrl(config.url()).flavor();
            if (fromUrl == SqlFlavor.SQLITE) {
                // the default database.url is SQLite: PostgreSQL migrations linted without a config would skip the locking rules
                System.err.println("lint: judging the migrations as SQLite (from database.url); pass --dialect postgresql "
                        + "or --dialect mysql to check them for those databases");
            }
            return fromUrl;
        }
        return switch (d) {
            case "postgresql", "postgres", "pg" -> SqlFlavor.POSTGRES;
            case "mysql", "mariadb" -> SqlFlavor.MYSQL;
            case "sqlite" -> SqlFlavor.SQLITE;
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "Unknown --dialect '" + dialect + "'; use postgresql, mysql or sqlite");
        };
    }

    /** The PostgreSQL major version of the database, so that --pending-only judges as migrate will. */
    static Integer serverMajor(MigrationConfig config, SqlFlavor flavor) {
        if (flavor != SqlFlavor.POSTGRES || config.url() == null) {
            return null;
        }
        try (Connection c = connect(config)) {
            return c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            return null; // status() below reports an unreachable database with its own message
        }
    }

    private static Connection connect(MigrationConfig config) throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        return DriverManager.getConnection(config.url(), p);
    }

    /** As migrate judges them: one run, against what the database has. */
    static LintReport pending(Migrator migrator, Linter linter, SqlFlavor flavor) {
        Set<String> scripts = new HashSet<>();
        for (StatusReport.Pending p : migrator.status().pending()) {
            scripts.add(p.script());
        }
        List<Migration> all = migrator.migrations(flavor);
        try (Connection c = connect(migrator.config())) {
            return linter.lintRun(all.stream().filter(m -> !scripts.contains(m.script())).toList(),
                    all.stream().filter(m -> scripts.contains(m.script())).toList(), c);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "lint --pending-only cannot connect to " + migrator.config().maskedUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The named files and folders; earlier migrations of the configured locations give the schema they change. */
    private LintReport named(Migrator migrator, Linter linter, SqlFlavor flavor) {
        List<Migration> configured;
        try {
            configured = migrator.migrations(flavor);
        } catch (SwitchbackException e) {
            configured = List.of(); // no usable locations: lint the files on their own
        }
        Path base = migrator.config().baseDir();
        Map<Path, Migration> byPath = new HashMap<>();
        for (Migration m : configured) {
            if (!m.script().startsWith("classpath:")) {
                byPath.put(base.resolve(m.script()).toAbsolutePath().normalize(), m);
            }
        }
        List<Migration> checked = new ArrayList<>();
        for (Path p : files) {
            Path abs = p.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                // named relative to the working directory, as CI annotations need them
                checked.addAll(MigrationResolver.resolve(new LocationScanner(Path.of("").toAbsolutePath(), getClass().getClassLoader())
                        .scan(List.of(abs.toString())), flavor));
            } else if (byPath.containsKey(abs)) {
                checked.add(byPath.get(abs));
            } else {
                checked.add(standalone(p));
            }
        }
        checked.sort(Comparator.comparing(Migration::version, Comparator.nullsLast(Comparator.naturalOrder())));
        Set<String> names = new HashSet<>();
        checked.forEach(m -> names.add(m.script()));
        Version first = checked.isEmpty() ? null : checked.get(0).version();
        List<Migration> context = configured.stream().filter(m -> !names.contains(m.script()))
                .filter(m -> first != null && m.version().compareTo(first) < 0).toList();
        return linter.lint(context, checked);
    }

    private static Migration standalone(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new SwitchbackException(ErrorCode.CONFIG, p + " is not a file or folder");
        }
        ScriptSource.Text text = ScriptSource.ofFile(p, p.toString()).read();
        String sql = text.sql();
        Matcher m = VERSION.matcher(p.getFileName().toString());
        Version version = m.find() ? Version.parse(m.group(1)) : null;
        return new Migration(version, p.getFileName().toString(), p.toString(), sql, null, null,
                Directives.parse(p.toString(), sql), text.checksum());
    }

    private static void printRehearsal(Output out, RehearsalReport r) {
        out.line("");
        out.line("Rehearsal on %s in %s%s, %d ms:", r.server(), r.scratch(),
                r.scratchDropped() ? " (dropped afterwards)" : "", r.totalMs());
        for (RehearsalReport.Migration m : r.migrations()) {
            out.line("  %s: %s", m.script(), m.rehearsed() ? m.ms() + " ms" : m.note());
            for (RehearsalReport.Statement s : m.statements()) {
                out.line("    %d. line %d: %s", s.number(), s.line(), s.sql());
                out.line("       observed: %s", s.observed());
            }
            if (m.rehearsed() && m.note() != null) {
                out.line("    %s", m.note());
            }
        }
        out.line(r.disagreements() == 0 ? "Lint and the observation agree." : r.disagreements()
                + " statement(s) where lint and the observation differ (marked above).");
    }

    private static Object json(LintReport report, RehearsalReport rehearsal) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode rootNode = mapper.createObjectNode();
        ArrayNode findings = rootNode.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            n.put("rule", f.rule());
            n.put("severity", f.severity().label());
            n.put("file", f.file());
            n.put("line", f.line());
            n.put("statement", f.statement());
            n.put("message", f.message());
            n.put("fix", f.fix());
            n.put("ignored", f.ignored());
        }
        ArrayNode migrations = rootNode.putArray("migrations");
        for (MigrationLint m : report.migrations()) {
            ObjectNode n = migrations.addObject();
            n.put("script", m.script());
            n.put("phase", m.phase());
            n.put("statements", m.statements().size());
            n.put("hasDown", m.hasDown());
        }
        if (rehearsal != null) {
            ObjectNode r = mapper.valueToTree(rehearsal);
            r.remove("lint");
            rootNode.set("rehearsal", r);
        }
        return rootNode;
    }
}
