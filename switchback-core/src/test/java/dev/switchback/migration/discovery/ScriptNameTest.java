package dev.switchback.migration.discovery;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written name parser against the regular expressions it stands for. */
class ScriptNameTest {
    private static final String VERSION = "(\\d+(?:[._]\\d+)*)";
    private static final Pattern FLYWAY = Pattern.compile("([VU])" + VERSION + "__(.+)\\.sql");
    private static final Pattern UP_DOWN = Pattern.compile(VERSION + "_(.+)\\.(up|down)\\.sql");
    private static final Pattern PLAIN = Pattern.compile(VERSION + "_(.+)\\.sql");
    /** A direction in another letter case: such a name matches no pattern (002_x.DOWN.sql is no plain up migration). */
    private static final Pattern OTHER_CASE_DIRECTION = Pattern.compile(".*\\.(?!up\\.sql$|down\\.sql$)(?i:up|down)\\.sql");

    static ScriptName byExpression(String fileName) {
        if (OTHER_CASE_DIRECTION.matcher(fileName).matches()) {
            return null;
        }
        Matcher m = FLYWAY.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(2), m.group(3).replace('_', ' ').strip(), m.group(1).equals("U"));
        }
        m = UP_DOWN.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(1), m.group(2).replace('_', ' ').strip(), m.group(3).equals("down"));
        }
        m = PLAIN.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(1), m.group(2).replace('_', ' ').strip(), false);
        }
        return null;
    }

    @Test
    void readsEachShape() {
        assertThat(ScriptName.parse("V1_2__add_users.sql")).isEqualTo(new ScriptName("1_2", "add users", false));
        assertThat(ScriptName.parse("U3__add_users.sql")).isEqualTo(new ScriptName("3", "add users", true));
        assertThat(ScriptName.parse("002_orders.up.sql")).isEqualTo(new ScriptName("002", "orders", false));
        assertThat(ScriptName.parse("002_orders.down.sql")).isEqualTo(new ScriptName("002", "orders", true));
        assertThat(ScriptName.parse("1.5_between.sql")).isEqualTo(new ScriptName("1.5", "between", false));
        assertThat(ScriptName.parse("1_2.up.sql")).isEqualTo(new ScriptName("1", "2", false));
        assertThat(ScriptName.parse("1_.up.sql")).isEqualTo(new ScriptName("1", ".up", false));
        assertThat(ScriptName.parse("create_table.sql")).isNull();
        assertThat(ScriptName.parse("R__repeatable.sql")).isNull();
        assertThat(ScriptName.parse("V1__.sql")).isNull();
        assertThat(ScriptName.parse("V1__a\nb.sql")).isNull();
        assertThat(ScriptName.parse("V2__x.SQL")).isNull();
        assertThat(ScriptName.parse("002_x.DOWN.sql")).isNull();
        assertThat(ScriptName.parse("002_x.Up.sql")).isNull();
        assertThat(ScriptName.parse("002_x.upper.sql")).isEqualTo(new ScriptName("002", "x.upper", false));
    }

    @Test
    void namesAMigrationWrittenInTheWrongCase() {
        assertThat(ScriptName.meant("V2__add_users.SQL")).isEqualTo("V2__add_users.sql");
        assertThat(ScriptName.meant("002_orders.DOWN.sql")).isEqualTo("002_orders.down.sql");
        assertThat(ScriptName.meant("002_orders.Up.Sql")).isEqualTo("002_orders.up.sql");
        assertThat(ScriptName.meant("v3__lower.sql")).isEqualTo("V3__lower.sql");
        assertThat(ScriptName.meant("u3__lower.sql")).isEqualTo("U3__lower.sql");
        assertThat(ScriptName.meant("V2__add_users.sql")).isNull(); // already right
        assertThat(ScriptName.meant("create_table.SQL")).isNull(); // no case makes it a migration
        assertThat(ScriptName.meant("002_x.up.sql.txt")).isNull();
    }

    @Property(tries = 5000)
    void agreesWithTheExpressions(@ForAll("names") String name) {
        assertThat(ScriptName.parse(name)).isEqualTo(byExpression(name));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> piece = Arbitraries.of("V", "U", "0", "1", "7", "12", ".", "_", "__", "a", " ", "up", "down",
                ".up", ".down", ".sql", "\n", "\u2028", "x_y", "-", ".UP", ".Down", ".SQL");
        return piece.list().ofMaxSize(9).map(l -> String.join("", l))
                .flatMap(s -> Arbitraries.of(s, s + ".sql", s + ".up.sql", s + ".down.sql", s + ".Up.sql", s + ".DOWN.sql"));
    }
}
