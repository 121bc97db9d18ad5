package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Host, port, database and credentials of a server JDBC URL, for the command-line tools. */
record ServerAddress(String host, int port, String database, String user, String password) {

    static ServerAddress parse(String url, String user, String password, int defaultPort) {
        String rest = url.replaceFirst("(?i)^jdbc:[a-z]+://", "");
        Map<String, String> params = new HashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("[&;]")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq).toLowerCase(), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String hostPart = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : rest.substring(slash + 1);
        int at = hostPart.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = hostPart.substring(0, at);
            hostPart = hostPart.substring(at + 1);
            int colon = userInfo.indexOf(':');
            params.putIfAbsent("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                params.putIfAbsent("password", userInfo.substring(colon + 1));
            }
        }
        if (hostPart.contains(",")) {
            hostPart = hostPart.substring(0, hostPart.indexOf(','));
        }
        String host = hostPart;
        int port = defaultPort;
        int colon = hostPart.lastIndexOf(':');
        if (colon > 0 && !hostPart.endsWith("]")) {
            host = hostPart.substring(0, colon);
            try {
                port = Integer.parseInt(hostPart.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Bad port in database.url: " + hostPart.substring(colon + 1));
            }
        }
        if (database.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "database.url names no database; backups need one");
        }
        return new ServerAddress(host.isEmpty() ? "localhost" : host, port, database,
                user != null ? user : params.get("user"), password != null ? password : params.get("password"));
    }

    ServerAddress withDatabase(String other) {
        return new ServerAddress(host, port, other, user, password);
    }
}
