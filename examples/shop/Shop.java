import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example shop: a small HTTP service that Switchback upgrades blue-green in its tests and demo.
 * Run with the JDK's source launcher and the JDBC drivers on the class path:
 * {@code java -cp switchback-cli/target/switchback.jar examples/shop/Shop.java}.
 * Configured from the environment only; see examples/shop/README.md.
 */
public final class Shop {
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_SLOW_MS = 120_000;
    static final Pattern ORDER_PATH = Pattern.compile("/orders/([0-9A-Za-z-]{1,64})");
    static final Pattern RELEASE_NUMBER = Pattern.compile("^[vV]?(\\d+)");

    final String release;
    final String slot;
    final long pid = ProcessHandle.current().pid();
    /** v2 and later know the orders.note column (migration 003); v1 never names it. */
    final boolean notes;
    /** null, "unhealthy", "500" or "errors" ("exit" never gets this far). */
    final String fail;
    final Pool db;
    /** From the release name, for canary tests: "-errors5" fails 5% of requests, "-slower100ms" adds 100 ms, "-bad-after20s" fails everything 20 s after start. */
    static final Pattern ERRORS = Pattern.compile("-errors(\\d{1,3})(?![0-9])");
    static final Pattern SLOWER = Pattern.compile("-slower(\\d{1,5})ms");
    static final Pattern BAD_AFTER = Pattern.compile("-bad-after(\\d{1,5})s");
    final int errorPercent;
    final long slowerMs;
    final long badAfterNanos;
    final long startNanos = System.nanoTime();
    final AtomicInteger served = new AtomicInteger();
    /** Set on SIGTERM: responses then carry "Connection: close" so clients stop reusing connections. */
    volatile boolean draining;

    Shop(String release, String slot, String fail, Pool db) {
        this.release = release;
        this.slot = slot;
        this.fail = fail;
        this.db = db;
        Matcher m = RELEASE_NUMBER.matcher(release);
        this.notes = m.find() && Long.parseLong(m.group(1)) >= 2;
        Matcher e = ERRORS.matcher(release);
        this.errorPercent = e.find() ? Math.min(100, Integer.parseInt(e.group(1))) : 0;
        Matcher w = SLOWER.matcher(release);
        this.slowerMs = w.find() ? Long.parseLong(w.group(1)) : 0;
        Matcher b = BAD_AFTER.matcher(release);
        this.badAfterNanos = b.find() ? TimeUnit.SECONDS.toNanos(Long.parseLong(b.group(1))) : -1;
    }

    /** The misbehaviour the release name asks for; true when the request was answered (with a 500). */
    boolean misbehave(HttpExchange ex) throws IOException, InterruptedException {
        if (slowerMs > 0) {
            Thread.sleep(slowerMs);
        }
        // evenly spread, not random: request k fails when the running share of failures would fall behind errorPercent
        long k = served.getAndIncrement();
        boolean fail = errorPercent > 0 && (k + 1) * errorPercent / 100 > k * errorPercent / 100;
        if (fail || (badAfterNanos >= 0 && System.nanoTime() - startNanos > badAfterNanos)) {
            send(ex, 500, error("simulated failure (release " + release + ")"));
            return true;
        }
        return false;
    }

    /**
     * SHOP_START_FAILURES names a file holding a count: while it is above 0, each start takes one off and fails (the
     * failover tests' release that does not come back at once). No file, no failures.
     */
    private static synchronized boolean startFailure(java.nio.file.Path file) throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            return false;
        }
        int left = Integer.parseInt(java.nio.file.Files.readString(file).strip());
        if (left <= 0) {
            return false;
        }
        java.nio.file.Files.writeString(file, String.valueOf(left - 1));
        return true;
    }

    public static void main(String[] args) throws Exception {
        String release = env("RELEASE", "v1");
        String slot = env("SWITCHBACK_SLOT", "none");
        String tag = "[shop " + release + "/" + slot + " pid " + ProcessHandle.current().pid() + "]";
        String fail = env("SHOP_FAIL", null);
        if ("exit".equals(fail)) {
            System.err.println(tag + " error: SHOP_FAIL=exit, refusing to start (exit 3)");
            System.exit(3);
        }
        String failures = env("SHOP_START_FAILURES", null);
        if (failures != null && startFailure(java.nio.file.Path.of(failures))) {
            System.err.println(tag + " error: a start failure asked for in " + failures + " (exit 4)");
            System.exit(4);
        }
        if (fail != null && !List.of("unhealthy", "500", "errors").contains(fail)) {
            System.err.println(tag + " error: SHOP_FAIL=" + fail + " is not one of exit, unhealthy, 500, errors");
            System.exit(2);
        }
        int port = intEnv(tag, "PORT", 8080, 1, 65535);
        int threads = intEnv(tag, "SHOP_THREADS", 32, 1, 1024);
        int poolSize = intEnv(tag, "SHOP_DB_POOL", 10, 1, 1024);
        int graceSeconds = intEnv(tag, "SHOP_STOP_GRACE", 1, 0, 3600);
        String url = env("DATABASE_URL", "jdbc:sqlite:.switchback/shop.db");
        Pool db = new Pool(url, env("DATABASE_USER", null), env("DATABASE_PASSWORD", null), poolSize);
        Shop shop = new Shop(release, slot, fail, db);
        // Loading the drivers and opening the first connection takes a while (SQLite unpacks its
        // native library): do it beside the server's start so the first readiness check is quick.
        Thread warmUp = new Thread(() -> {
            try {
                db.run(5, true, c -> null);
            } catch (SQLException e) {
                // /health/ready reports it.
            }
        }, "shop-db-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();

        // Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs
        // can add ~40 ms to keep-alive requests. Read by the server's config when it is first loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            System.err.println(tag + " error: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> new Thread(r, "shop-http-" + threadNumber.incrementAndGet()));
        server.setExecutor(executor);
        server.createContext("/", shop::handle);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            System.err.println(tag + " stopping: no new connections, up to " + graceSeconds
                    + " s for in-flight requests");
            shop.draining = true;
            server.stop(graceSeconds);
            executor.shutdown();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            db.close();
            System.err.println(tag + " stopped in " + (System.nanoTime() - stopping) / 1_000_000 + " ms");
        }, "shop-shutdown"));

        server.start();
        System.err.println(tag + " listening on http://127.0.0.1:" + port + " (release " + release
                + (shop.notes ? ", orders with note" : ", orders without note") + ", database "
                + mask(url) + (fail == null ? "" : ", SHOP_FAIL=" + fail) + ") in "
                + ProcessHandle.current().info().startInstant()
                        .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms").orElse("?")
                + " since the process started");
    }

    // ---- HTTP ----

    void handle(HttpExchange ex) {
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            boolean get = method.equals("GET") || method.equals("HEAD");
            boolean health = path.equals("/health") || path.equals("/health/ready");
            if ("500".equals(fail) || ("errors".equals(fail) && !health)) {
                send(ex, 500, error("simulated failure (SHOP_FAIL=" + fail + ")"));
                return;
            }
            if (!health && misbehave(ex)) {
                return;
            }
            Matcher order = ORDER_PATH.matcher(path);
            if (path.equals("/") && get) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("release", release);
                body.put("slot", slot);
                body.put("pid", pid);
                send(ex, 200, body);
            } else if (path.equals("/health") && get) {
                send(ex, 200, served("status", "UP"));
            } else if (path.equals("/health/ready") && get) {
                ready(ex);
            } else if (path.equals("/products") && get) {
                products(ex);
            } else if (path.equals("/orders") && method.equals("POST")) {
                createOrder(ex);
            } else if (order.matches() && get) {
                Map<String, Object> found = findOrder(order.group(1));
                if (found == null) {
                    send(ex, 404, error("no order " + order.group(1)));
                } else {
                    send(ex, 200, served("order", found));
                }
            } else if (path.equals("/slow") && get) {
                slow(ex);
            } else if (List.of("/", "/health", "/health/ready", "/products", "/slow").contains(path)
                    || order.matches()) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, error(method + " is not allowed on " + path));
            } else if (path.equals("/orders")) {
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, 405, error(method + " is not allowed on " + path));
            } else {
                send(ex, 404, error("no such endpoint: " + path));
            }
        } catch (BadRequest e) {
            trySend(ex, e.status, error(e.getMessage()));
        } catch (SQLException e) {
            log("database error on " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + describe(e));
            trySend(ex, Pool.isBroken(e) ? 503 : 500, error("database error: " + describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            trySend(ex, 503, error("interrupted: shutting down"));
        } catch (IOException e) {
            // The client went away; nothing left to answer.
        } catch (RuntimeException | Error e) {
            log("error on " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            trySend(ex, 500, error("internal error: " + e));
        } finally {
            ex.close();
        }
    }

    void ready(HttpExchange ex) throws IOException {
        if ("unhealthy".equals(fail)) {
            send(ex, 503, served("status", "DOWN", "reason", "simulated (SHOP_FAIL=unhealthy)"));
            return;
        }
        try {
            db.run(2, true, c -> {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(2);
                    try (ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                    }
                }
                return null;
            });
            send(ex, 200, served("status", "UP"));
        } catch (SQLException e) {
            send(ex, 503, served("status", "DOWN", "reason", "database: " + describe(e)));
        }
    }

    void products(HttpExchange ex) throws IOException, SQLException {
        List<Map<String, Object>> products = db.run(5, true, c -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, sku, name, price_cents FROM products ORDER BY id")) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("sku", rs.getString(2));
                    row.put("name", rs.getString(3));
                    row.put("price_cents", rs.getLong(4));
                    rows.add(row);
                }
            }
            return rows;
        });
        send(ex, 200, served("products", products));
    }

    void createOrder(HttpExchange ex) throws IOException, SQLException {
        Map<String, String> in = orderInput(ex);
        long productId = number(in, "product_id", null, 1, Long.MAX_VALUE);
        long quantity = number(in, "quantity", 1L, 1, 1000);
        String customer = text(in, "customer", 200);
        String note = notes ? text(in, "note", 500) : null;
        // The price lookup is read-only, so it may be retried after a broken connection; the
        // insert is not, and goes on a connection the lookup has just proved.
        Long price = db.run(5, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT price_cents FROM products WHERE id = ?")) {
                ps.setLong(1, productId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        if (price == null) {
            throw new BadRequest(422, "no product " + productId);
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> created = db.run(5, false, c -> {
            String sql = notes
                    ? "INSERT INTO orders (id, product_id, quantity, total_cents, customer, note) VALUES (?, ?, ?, ?, ?, ?)"
                    : "INSERT INTO orders (id, product_id, quantity, total_cents, customer) VALUES (?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                ps.setLong(2, productId);
                ps.setLong(3, quantity);
                ps.setLong(4, price * quantity);
                ps.setString(5, customer);
                if (notes) {
                    ps.setString(6, note);
                }
                ps.executeUpdate();
            }
            return selectOrder(c, id);
        });
        ex.getResponseHeaders().set("Location", "/orders/" + id);
        send(ex, 201, served("order", created));
    }

    Map<String, Object> findOrder(String id) throws SQLException {
        return db.run(5, true, c -> selectOrder(c, id));
    }

    Map<String, Object> selectOrder(Connection c, String id) throws SQLException {
        // Columns by name, never SELECT *: v1 must keep working after v2's migration added a column.
        String sql = "SELECT id, product_id, quantity, total_cents, customer, created_at"
                + (notes ? ", note" : "") + " FROM orders WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getString(1));
                row.put("product_id", rs.getLong(2));
                row.put("quantity", rs.getLong(3));
                row.put("total_cents", rs.getLong(4));
                row.put("customer", rs.getString(5));
                row.put("created_at", rs.getString(6));
                if (notes) {
                    row.put("note", rs.getString(7));
                }
                return row;
            }
        }
    }

    void slow(HttpExchange ex) throws IOException, InterruptedException {
        Map<String, String> query = form(ex.getRequestURI().getRawQuery());
        long ms = number(query, "ms", 1000L, 0, MAX_SLOW_MS);
        Thread.sleep(ms);
        send(ex, 200, served("slept_ms", ms, "pid", pid));
    }

    /** The order fields from a JSON object or a form body, as strings. */
    Map<String, String> orderInput(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new BadRequest(413, "body larger than " + MAX_BODY + " bytes");
        }
        String body = new String(bytes, StandardCharsets.UTF_8).strip();
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).toLowerCase();
        if (type.startsWith("application/json") || (!type.startsWith("application/x-www-form-urlencoded")
                && body.startsWith("{"))) {
            Object parsed = new Json(body).parseDocument();
            if (!(parsed instanceof Map)) {
                throw new BadRequest(400, "the JSON body must be an object");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    throw new BadRequest(400, "field " + e.getKey() + " must be a string or a number");
                }
                fields.put((String) e.getKey(), v == null ? null : v.toString());
            }
            return fields;
        }
        return form(body);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                fields.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "malformed form field: " + pair);
            }
        }
        return fields;
    }

    static long number(Map<String, String> in, String key, Long dflt, long min, long max) {
        String v = in.get(key);
        if (v == null || v.isBlank()) {
            if (dflt == null) {
                throw new BadRequest(400, key + " is required");
            }
            return dflt;
        }
        long n;
        try {
            n = new BigDecimal(v.strip()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new BadRequest(400, key + " must be a whole number, got " + v);
        }
        if (n < min || n > max) {
            throw new BadRequest(400, key + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    static String text(Map<String, String> in, String key, int maxLength) {
        String v = in.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > maxLength) {
            throw new BadRequest(400, key + " is longer than " + maxLength + " characters");
        }
        return v;
    }

    /** A body that says which release and slot served it, plus the given key/value pairs. */
    Map<String, Object> served(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("release", release);
        body.put("slot", slot);
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    Map<String, Object> error(String message) {
        return served("error", message);
    }

    void send(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("X-Release", release);
        ex.getResponseHeaders().set("X-Slot", slot);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (draining) {
            ex.getResponseHeaders().set("Connection", "close");
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    void trySend(HttpExchange ex, int status, Map<String, Object> body) {
        try {
            send(ex, status, body);
        } catch (IOException | RuntimeException ignored) {
            // Headers already sent or the client is gone.
        }
    }

    void log(String message) {
        System.err.println("[shop " + release + "/" + slot + " pid " + pid + "] " + message);
    }

    static String describe(SQLException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        return mask(e.getSQLState() == null ? message : message + " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** Passwords in URLs and driver messages are never printed. */
    static String mask(String s) {
        return s.replaceAll("(?i)(password=)[^&;\\s]*", "$1***").replaceAll("(//[^/:@\\s]+:)[^@/\\s]+@", "$1***@");
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.strip();
    }

    static int intEnv(String tag, String name, int dflt, int min, int max) {
        String v = env(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println(tag + " error: " + name + "=" + v + " must be a whole number from " + min + " to " + max);
        System.exit(2);
        return dflt;
    }

    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    // ---- Database ----

    interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * A small connection pool: at most {@code max} connections, opened on demand. A connection that
     * threw is closed rather than reused, and one idle for a while is validated first, so a database
     * restart costs at most one failed request per connection.
     */
    static final class Pool {
        final String url;
        final Properties props = new Properties();
        final Semaphore permits;
        final int max;
        final LinkedBlockingDeque<Idle> idle = new LinkedBlockingDeque<>();

        record Idle(Connection connection, long since) {
        }

        Pool(String url, String user, String password, int max) {
            this.url = url;
            this.max = max;
            this.permits = new Semaphore(max, true);
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            if (url.startsWith("jdbc:sqlite:")) {
                props.setProperty("busy_timeout", "10000");
                props.setProperty("foreign_keys", "true");
            }
            DriverManager.setLoginTimeout(3);
        }

        /**
         * Runs the work on a pooled connection. Read-only work that fails because a reused
         * connection is broken (the database restarted, or killed the session) is retried once on
         * a new connection, so a readiness probe does not flap; writes are not repeated.
         */
        <T> T run(int waitSeconds, boolean readOnly, SqlWork<T> work) throws SQLException {
            try {
                if (!permits.tryAcquire(waitSeconds, TimeUnit.SECONDS)) {
                    throw new SQLException("no database connection free after " + waitSeconds + " s (max="
                            + max + ", idle=" + idle.size() + ", waiting=" + permits.getQueueLength() + ")", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a database connection", "08001");
            }
            try {
                Connection reused = borrowIdle();
                try {
                    return runOn(reused != null ? reused : DriverManager.getConnection(url, props), work);
                } catch (SQLException e) {
                    if (!isBroken(e)) {
                        throw e;
                    }
                    close(); // the other idle connections most likely share its fate
                    if (!readOnly || reused == null) {
                        throw e;
                    }
                }
                return runOn(DriverManager.getConnection(url, props), work);
            } finally {
                permits.release();
            }
        }

        /** Returns the connection to the pool after the work, or closes it when the work threw. */
        <T> T runOn(Connection c, SqlWork<T> work) throws SQLException {
            boolean ok = false;
            try {
                T result = work.apply(c);
                ok = true;
                return result;
            } finally {
                if (ok) {
                    idle.offerFirst(new Idle(c, System.nanoTime()));
                } else {
                    closeQuietly(c);
                }
            }
        }

        static boolean isBroken(SQLException e) {
            String state = String.valueOf(e.getSQLState());
            // 08: connection exceptions; 57P: PostgreSQL admin shutdown / session terminated.
            return state.startsWith("08") || state.startsWith("57P")
                    || e instanceof java.sql.SQLNonTransientConnectionException
                    || e instanceof java.sql.SQLRecoverableException;
        }

        /** An idle connection, validated first when it has been idle for a while; null when none. */
        Connection borrowIdle() {
            for (Idle i; (i = idle.pollFirst()) != null; ) {
                try {
                    if (System.nanoTime() - i.since() < TimeUnit.SECONDS.toNanos(10) || i.connection().isValid(2)) {
                        return i.connection();
                    }
                } catch (SQLException e) {
                    // Treated as invalid.
                }
                closeQuietly(i.connection());
            }
            return null;
        }

        void close() {
            for (Idle i; (i = idle.pollFirst()) != null; ) {
                closeQuietly(i.connection());
            }
        }

        static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // Already broken; nothing to do.
            }
        }
    }

    // ---- JSON (just enough for request and response bodies) ----

    static final class Json {
        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object v = value();
            skipSpace();
            if (i != s.length()) {
                throw bad("unexpected text after the JSON value");
            }
            return v;
        }

        Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw bad("unexpected end of JSON");
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                skipSpace();
                if (peek('}')) {
                    return m;
                }
                do {
                    skipSpace();
                    if (i >= s.length() || s.charAt(i) != '"') {
                        throw bad("expected a string key");
                    }
                    String key = string();
                    skipSpace();
                    expect(':');
                    m.put(key, value());
                    skipSpace();
                } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skipSpace();
                if (peek(']')) {
                    return l;
                }
                do {
                    l.add(value());
                    skipSpace();
                } while (peek(','));
                expect(']');
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            try {
                return new BigDecimal(s.substring(start, i)).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                i = start;
                throw bad("unexpected character '" + c + "'");
            }
        }

        String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw bad("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw bad("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
            throw bad("unterminated string");
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw bad("expected '" + c + "'");
            }
        }

        BadRequest bad(String message) {
            return new BadRequest(400, "invalid JSON at offset " + i + ": " + message);
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        static void write(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v instanceof Map<?, ?> m) {
                b.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(sep);
                    write(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                    sep = ",";
                }
                b.append('}');
            } else if (v instanceof List<?> l) {
                b.append('[');
                String sep = "";
                for (Object o : l) {
                    b.append(sep);
                    write(b, o);
                    sep = ",";
                }
                b.append(']');
            } else {
                String str = v.toString();
                b.append('"');
                for (int k = 0; k < str.length(); k++) {
                    char c = str.charAt(k);
                    switch (c) {
                        case '"' -> b.append("\\\"");
                        case '\\' -> b.append("\\\\");
                        case '\n' -> b.append("\\n");
                        case '\r' -> b.append("\\r");
                        case '\t' -> b.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                b.append(String.format("\\u%04x", (int) c));
                            } else {
                                b.append(c);
                            }
                        }
                    }
                }
                b.append('"');
            }
        }
    }
}
