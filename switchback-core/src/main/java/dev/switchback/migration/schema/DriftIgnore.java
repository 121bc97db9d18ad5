package dev.switchback.migration.schema;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Objects drift leaves out: {@code kind:glob} ({@code table:audit_*}, {@code index:*_tmp}, {@code column:orders.note})
 * or a bare glob for any kind. A table's rule covers what is on it (its columns, keys, indexes, triggers). Names match
 * with or without their schema, case-insensitively; {@code *} is any run of characters, {@code ?} one.
 */
public final class DriftIgnore {
    public static final DriftIgnore NONE = new DriftIgnore(List.of(), List.of());

    private record Rule(SchemaObject.Kind kind, Pattern glob) {
    }

    private final List<Rule> rules;
    private final List<String> patterns;

    private DriftIgnore(List<Rule> rules, List<String> patterns) {
        this.rules = rules;
        this.patterns = patterns;
    }

    /** The rules of {@code patterns}; a kind that does not exist is a CONFIG error naming the kinds. */
    public static DriftIgnore of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            SchemaObject.Kind kind = null;
            String glob = p;
            int colon = p.indexOf(':');
            if (colon > 0) {
                String k = p.substring(0, colon).toLowerCase(Locale.ROOT);
                kind = Arrays.stream(SchemaObject.Kind.values()).filter(x -> x.label().equals(k)).findFirst()
                        .orElseThrow(() -> new SwitchbackException(ErrorCode.CONFIG, "drift.ignore: '" + raw + "' names no kind of "
                                + "object; use one of " + Arrays.stream(SchemaObject.Kind.values()).map(SchemaObject.Kind::label).toList()
                                + " before the ':', or a bare pattern for any kind"));
                glob = p.substring(colon + 1);
            }
            rules.add(new Rule(kind, toRegex(glob)));
            kept.add(p);
        }
        return new DriftIgnore(List.copyOf(rules), List.copyOf(kept));
    }

    public List<String> patterns() {
        return patterns;
    }

    /** These rules and {@code more}. */
    public DriftIgnore and(List<String> more) {
        List<String> all = new ArrayList<>(patterns);
        all.addAll(more);
        return of(all);
    }

    public boolean ignores(SchemaObject o) {
        for (Rule r : rules) {
            if ((r.kind == null || r.kind == o.kind()) && (matches(r.glob, o.name())
                    || o.table() != null && matches(r.glob, o.table() + "." + o.name()))) {
                return true;
            }
            if (r.kind == SchemaObject.Kind.TABLE && o.table() != null && matches(r.glob, o.table())) {
                return true;
            }
        }
        return false;
    }

    /** The differences no rule leaves out. */
    public List<Difference> filter(List<Difference> differences) {
        return rules.isEmpty() ? differences : differences.stream().filter(d -> !ignores(d.object())).toList();
    }

    private static boolean matches(Pattern glob, String name) {
        return glob.matcher(name).matches() || glob.matcher(name.substring(name.lastIndexOf('.') + 1)).matches();
    }

    private static Pattern toRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE);
    }
}
