package dev.switchback.migration.discovery;

import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlLexer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the files of the locations into migrations sorted by version. Every naming problem
 * (duplicate versions, a down without an up, an unrecognised name) is reported together, before anything runs.
 */
public final class MigrationResolver {
    private MigrationResolver() {
    }

    public static List<Migration> resolve(List<ScriptSource> sources, SqlFlavor flavor) {
        return resolve(sources, ChecksumCache.none(), flavor);
    }

    /**
     * @param cache  checksums of files unchanged since an earlier run: those become migrations whose text is read only
     *               when needed; the others are read, hashed and remembered in it. Its entries were checked for
     *               {@code flavor} (see {@link ChecksumCache#open(java.nio.file.Path, SqlFlavor)})
     * @param flavor the SQL the scripts are lexed as, so that one with an unterminated string, quoted name, comment or
     *               dollar quote is refused before anything runs; null when not known yet (the splitter still refuses
     *               it when the script is run or linted)
     */
    public static List<Migration> resolve(List<ScriptSource> sources, ChecksumCache cache, SqlFlavor flavor) {
        Map<Version, List<Named>> ups = new HashMap<>(sources.size() * 2);
        Map<Version, List<Named>> downs = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> unnamed = new ArrayList<>();
        for (ScriptSource source : sources) {
            ScriptName name = ScriptName.parse(source.fileName());
            if (name == null) {
                String meant = ScriptName.meant(source.fileName());
                unnamed.add(source.displayName() + (meant == null ? ": not a migration name; accepted: " + ScriptName.ACCEPTED
                        : ": not a migration name as written (letter case); rename it to " + meant));
                continue;
            }
            Version v = Version.parse(name.version());
            (name.down() ? downs : ups).computeIfAbsent(v, k -> new ArrayList<>(1)).add(new Named(source, name));
        }
        unnamed.stream().sorted().forEach(problems::add);
        // the naming problems, in version order (only the versions that have one are sorted)
        Map<Version, List<String>> byVersion = new TreeMap<>();
        ups.forEach((v, list) -> {
            if (list.size() > 1) {
                byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add("duplicate version " + v.canonical() + ": " + join(list));
            }
        });
        downs.forEach((v, list) -> {
            if (list.size() > 1) {
                byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add("duplicate down migration for version " + v.canonical()
                        + ": " + join(list));
            }
            if (!ups.containsKey(v)) {
                byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(join(list)
                        + ": down migration without an up migration for version " + v.canonical());
            }
        });
        byVersion.values().forEach(problems::addAll);
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Migration files have problems; nothing was run:\n  - "
                    + String.join("\n  - ", problems));
        }
        // reading and hashing the files is most of a start-up check: spread it over the cores
        List<Map.Entry<Version, List<Named>>> entries = new ArrayList<>(ups.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        List<Object> built = entries.parallelStream().map(e -> {
            ScriptSource up = e.getValue().get(0).source();
            List<Named> downList = downs.get(e.getKey());
            ScriptSource down = downList == null ? null : downList.get(0).source();
            String description = e.getValue().get(0).name().description();
            String cached = up.path() == null ? null : cache.lookup(up.path(), up.stat());
            if (cached != null) {
                return (Object) Migration.lazy(e.getKey(), description, up.displayName(), down == null ? null : down.displayName(),
                        cached, () -> {
                            Read r = text(up, down, flavor);
                            if (!r.checksum().equals(cached)) {
                                throw new SwitchbackException(ErrorCode.CONFIG, up.displayName() + " changed while switchback was "
                                        + "running (its checksum is not the one it had a moment ago); nothing of it was run. Run again.");
                            }
                            return r.text();
                        });
            }
            Object stat = up.path() == null ? null : cache.before(up.path(), up.stat());
            try {
                Read r = text(up, down, flavor);
                Migration.Text t = r.text();
                String checksum = r.checksum();
                if (stat != null) {
                    cache.remember(up.path(), stat, checksum);
                }
                return (Object) new Migration(e.getKey(), description, up.displayName(), t.upSql(),
                        down == null ? null : down.displayName(), t.downSql(), t.directives(), checksum);
            } catch (SwitchbackException ex) {
                return ex.getMessage();
            }
        }).toList();
        cache.save();
        List<Migration> migrations = new ArrayList<>();
        List<String> directiveProblems = new ArrayList<>();
        for (Object o : built) {
            if (o instanceof Migration m) {
                migrations.add(m);
            } else {
                directiveProblems.add((String) o);
            }
        }
        if (!directiveProblems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", directiveProblems));
        }
        return migrations;
    }

    /** A file and what its name says. */
    private record Named(ScriptSource source, ScriptName name) {
    }

    /** Both scripts as read, and the checksum of the up script's bytes. */
    private record Read(Migration.Text text, String checksum) {
    }

    /**
     * Reads both scripts (strict UTF-8), normalises them, parses their directives (an unknown directive is an error)
     * and, when the flavor is known, lexes them (an unterminated construct is an error).
     */
    private static Read text(ScriptSource up, ScriptSource down, SqlFlavor flavor) {
        ScriptSource.Text upText = up.read();
        String upSql = upText.sql();
        String downSql = down == null ? null : down.read().sql();
        String downName = down == null ? up.displayName() : down.displayName();
        LiquibaseSql liquibase = LiquibaseSql.parse(up.displayName(), upSql);
        CombinedScript combined = liquibase != null ? new CombinedScript(liquibase.up(), liquibase.down())
                : CombinedScript.split(up.displayName(), upSql);
        if (combined != null) {
            if (down != null && combined.down() != null) {
                throw new SwitchbackException(ErrorCode.CONFIG, up.displayName() + " has a down section and "
                        + down.displayName() + " is its down file too; keep one of them");
            }
            upSql = combined.up();
            downSql = down == null ? combined.down() : downSql;
        }
        Directives directives = flywayConf(up, Directives.parse(up.displayName(), upSql));
        if (liquibase != null && liquibase.noTransaction()) {
            directives = new Directives(true, directives.contract(), directives.ignores());
        }
        if (downSql != null) {
            Directives.parse(downName, downSql);
        }
        if (flavor != null) {
            SqlLexer.tokenize(upSql, flavor, up.displayName());
            if (downSql != null) {
                SqlLexer.tokenize(downSql, flavor, downName);
            }
        }
        return new Read(new Migration.Text(upSql, downSql, directives), upText.checksum());
    }

    /**
     * Flyway's per-script configuration ({@code V1__x.sql.conf}): {@code executeInTransaction=false} means
     * no-transaction. Any other setting would change how the script runs in ways Switchback does not follow, so it
     * is refused rather than ignored ({@code encoding} only as UTF-8, which is how every script is read).
     */
    private static Directives flywayConf(ScriptSource up, Directives directives) {
        String conf = up.companion(".conf");
        if (conf == null) {
            return directives;
        }
        boolean noTransaction = directives.noTransaction();
        List<String> problems = new ArrayList<>();
        String[] lines = conf.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (key.equals("executeInTransaction") && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
                noTransaction = noTransaction || value.equalsIgnoreCase("false");
            } else if (!(key.equals("encoding") && value.replace("-", "").equalsIgnoreCase("utf8"))) {
                problems.add(up.displayName() + ".conf:" + (i + 1) + ": '" + line + "' is not followed here (only "
                        + "executeInTransaction=true|false and encoding=UTF-8 are); write -- switchback: directives in the script instead");
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", problems));
        }
        return new Directives(noTransaction, directives.contract(), directives.ignores());
    }

    private static String join(List<Named> list) {
        return String.join(", ", list.stream().map(n -> n.source().displayName()).sorted().toList());
    }
}
