package dev.switchback.server;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.Stickiness;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which release gets a request, or whether the router answers it itself: maintenance, a pause holding requests, the
 * slot routed to and a canary taking a share of the clients. Read on every request without a lock (one volatile read of
 * an immutable {@link Routing}); changed by the deployer from any thread.
 */
final class TrafficPolicy {
    static final String COOKIE = "switchback-rollout";

    /**
     * Where a request goes: the instances of one slot, balanced by least outstanding requests; and the cookie to set on
     * its response when the router chose the side (else null). {@code picks} numbers the picks of the whole policy, so
     * every target over the same instances takes ties in the same turn.
     */
    record Target(Origin[] group, String setCookie, AtomicLong picks) {
        /** The instance with the fewest outstanding requests (ties in turn), one refused a moment ago only when alone. */
        Origin pick() {
            return pick(null);
        }

        /** As {@link #pick()} among the others than {@code except}; null when it is the only one. */
        Origin pick(Origin except) {
            Origin[] g = group;
            if (g.length == 1) {
                return g[0] == except ? null : g[0];
            }
            long now = System.nanoTime();
            Origin best = null;
            // picks on other event loops at the same moment see the same counts: the chosen instance is claimed, and a
            // pick that lost the claim looks again, so that simultaneous requests to tied instances are spread
            for (int attempt = 0; attempt < 4; attempt++) {
                best = null;
                long seen = 0;
                for (Origin o : g) {
                    long last = o.lastPick;
                    if (o != except && (best == null || better(o, last, best, seen, now))) {
                        best = o;
                        seen = last;
                    }
                }
                if (best == null || best.claim(seen, picks.incrementAndGet())) {
                    return best;
                }
            }
            return best;
        }

        /**
         * Fewer outstanding requests, and among equals the one picked longest ago: a tie goes to each tied instance in
         * turn, whichever instance is busier (a turn walking the group in order gave the instance after a busy one most
         * of the ties).
         */
        private static boolean better(Origin o, long oLast, Origin best, long bestLast, long now) {
            boolean refused = o.refusedRecently(now);
            if (refused != best.refusedRecently(now)) {
                return !refused;
            }
            int a = o.outstanding.get();
            int b = best.outstanding.get();
            return a != b ? a < b : oLast < bestLast;
        }
    }

    /** One moment's routing, replaced whole: a weight change is one volatile write, seen by the next request. */
    private record Routing(Target stable, Target canary, int weight, Stickiness.Kind sticky, AsciiString header,
                           int salt, String stableValue, String canaryValue, Target stableChosen, Target canaryChosen) {
    }

    private final ScheduledExecutorService timer;
    /** Numbers every pick among instances: the turn in which ties are taken. */
    private final AtomicLong picks = new AtomicLong();
    private volatile Routing routing;
    // written under "this" by the deployer; routing is rebuilt from them
    private Origin stable;
    private Origin canary;
    /** Per slot, the ports of the instances that may serve (replicas); none: the routed port alone. */
    private final Map<Slot, List<Integer>> instances = new EnumMap<>(Slot.class);
    /** A rolling update: this slot's instances share the routed slot's pool. */
    private Slot joined;
    /** The origins routed now, by address: kept across rebuilds so their outstanding counts carry on. */
    private Map<InetSocketAddress, Origin> known = new HashMap<>();
    /** Origins no longer routed with requests still outstanding: how a drain sees them finish. */
    private final Map<Integer, Origin> leaving = new HashMap<>();
    private int weight;
    private Stickiness sticky = Stickiness.COOKIE;
    private String rollout = "";
    private volatile boolean maintenance;
    private volatile String maintenanceMessage;
    // guarded by itself: connections holding a request while paused
    private final ArrayDeque<ClientConnection> held = new ArrayDeque<>();
    private volatile boolean paused;
    private long pauseGeneration;

    TrafficPolicy(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** The release for {@code request}; null when none is routed to. */
    Target choose(HttpRequest request) {
        Routing r = routing;
        if (r == null) {
            return null;
        }
        int w = r.weight;
        if (r.canary == null || w <= 0) {
            return r.stable;
        }
        if (w >= 100) {
            return r.canary;
        }
        switch (r.sticky) {
            case HEADER -> {
                String value = request.headers().get(r.header);
                if (value != null) {
                    return bucket(value, r.salt) < w ? r.canary : r.stable;
                }
                return ThreadLocalRandom.current().nextInt(100) < w ? r.canary : r.stable;
            }
            case COOKIE -> {
                Target side = fromCookie(request.headers().get(HttpHeaderNames.COOKIE), r);
                if (side != null) {
                    return side;
                }
                return ThreadLocalRandom.current().nextInt(100) < w ? r.canaryChosen : r.stableChosen;
            }
            default -> {
                return ThreadLocalRandom.current().nextInt(100) < w ? r.canary : r.stable;
            }
        }
    }

    /** A header value's place in 0..99, the same for the whole rollout (salted by it, so each rollout picks anew). */
    static int bucket(String value, int salt) {
        int h = value.hashCode() * 31 + salt;
        // murmur3's finalizer: neighbouring values (user 41, user 42) land far apart
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, 100);
    }

    /** The side a {@code switchback-rollout} cookie of this rollout names, or null (none, or another rollout's). */
    private static Target fromCookie(String cookies, Routing r) {
        if (cookies == null) {
            return null;
        }
        int from = 0;
        while (true) {
            int i = cookies.indexOf(COOKIE, from);
            if (i < 0) {
                return null;
            }
            int eq = i + COOKIE.length();
            boolean pairStart = i == 0 || cookies.charAt(i - 1) == ' ' || cookies.charAt(i - 1) == ';';
            if (pairStart && eq < cookies.length() && cookies.charAt(eq) == '=') {
                int start = eq + 1;
                int end = cookies.indexOf(';', start);
                end = end < 0 ? cookies.length() : end;
                while (end > start && cookies.charAt(end - 1) == ' ') {
                    end--;
                }
                if (matches(cookies, start, end, r.canaryValue)) {
                    return r.canary;
                }
                return matches(cookies, start, end, r.stableValue) ? r.stable : null;
            }
            from = eq;
        }
    }

    private static boolean matches(String s, int start, int end, String value) {
        return end - start == value.length() && s.regionMatches(start, value, 0, value.length());
    }

    /** Whether requests may still go to {@code address} (so a connection to it is worth keeping). */
    boolean routes(InetSocketAddress address) {
        Routing r = routing;
        return r != null && (in(r.stable, address) || r.canary != null && in(r.canary, address));
    }

    private static boolean in(Target t, InetSocketAddress address) {
        for (Origin o : t.group()) {
            if (o.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** See {@link dev.switchback.deploy.TrafficControl#instances}. */
    synchronized void instances(Slot slot, List<Integer> ports) {
        instances.put(slot, List.copyOf(ports));
        rebuild();
    }

    /** See {@link dev.switchback.deploy.TrafficControl#join}. */
    synchronized void join(Slot slot) {
        joined = slot;
        rebuild();
    }

    /** Requests outstanding on the instance at {@code port}, routed or leaving. */
    synchronized int outstanding(int port) {
        leaving.values().removeIf(o -> o.outstanding.get() <= 0);
        Origin o = known.get(new InetSocketAddress("127.0.0.1", port));
        if (o == null) {
            o = leaving.get(port);
        }
        return o == null ? 0 : Math.max(0, o.outstanding.get());
    }

    /** From the next request on, the traffic not sent to a canary goes to {@code port}; a canary in that slot ends. */
    synchronized void route(Slot slot, Integer port) {
        stable = origin(slot, port);
        admit(stable);
        if (stable == null || (canary != null && canary.slot() == slot)) {
            canary = null;
        }
        rebuild();
    }

    /** See {@link dev.switchback.deploy.TrafficControl#split}. */
    synchronized void split(Slot slot, Integer port, int weight, Stickiness sticky, String rollout) {
        if (weight < 0 || weight > 100) {
            throw new SwitchbackException(ErrorCode.CONFIG, "A canary's weight is a whole percent from 0 to 100, not " + weight
                    + ": check deploy.canary.steps");
        }
        Origin next = origin(slot, port);
        admit(next);
        if (next != null && stable != null && next.slot() == stable.slot()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "The canary cannot run in slot " + slot.id()
                    + ", which serves the stable release: start it in " + slot.other().id());
        }
        this.canary = next;
        this.weight = next == null ? 0 : weight;
        this.sticky = sticky == null ? Stickiness.COOKIE : sticky;
        this.rollout = rollout == null ? "" : rollout.replaceAll("[^A-Za-z0-9._-]", "_");
        rebuild();
    }

    synchronized int weight() {
        return canary == null ? 0 : weight;
    }

    /** A port routed to has just passed its health gate: it serves beside the slot's other instances at once. */
    private void admit(Origin routed) {
        List<Integer> ports = routed == null ? List.of() : instances.getOrDefault(routed.slot(), List.of());
        int port = routed == null ? 0 : routed.address().getPort();
        if (!ports.isEmpty() && !ports.contains(port)) {
            List<Integer> more = new ArrayList<>(ports);
            more.add(port);
            instances.put(routed.slot(), List.copyOf(more));
        }
    }

    private void rebuild() {
        Map<InetSocketAddress, Origin> now = new HashMap<>();
        Origin[] stableGroup = stable == null ? null : group(stable, now);
        Origin[] canaryGroup = canary == null || stable == null ? null : group(canary, now);
        // every origin dropped is still asked about while drained: a request that picked it just before counts itself after
        known.forEach((address, o) -> {
            if (!now.containsKey(address)) {
                leaving.put(address.getPort(), o);
            }
        });
        known = now;
        if (stable == null) {
            routing = null;
            return;
        }
        Target s = new Target(stableGroup, null, picks);
        Target c = canary == null ? null : new Target(canaryGroup, null, picks);
        String stableValue = "stable." + rollout;
        String canaryValue = "canary." + rollout;
        routing = new Routing(s, c, weight, sticky.kind(), sticky.header() == null ? null : AsciiString.cached(sticky.header()),
                rollout.hashCode(), stableValue, canaryValue,
                new Target(stableGroup, setCookie(stableValue), picks),
                c == null ? null : new Target(canaryGroup, setCookie(canaryValue), picks));
    }

    /**
     * The routed slot's instances: those {@link #instances} lists for it, or the routed one alone; with a rolling update
     * the joined slot's serving instances too (then the routed one only while listed).
     */
    private Origin[] group(Origin routed, Map<InetSocketAddress, Origin> now) {
        List<Integer> ports = instances.getOrDefault(routed.slot(), List.of());
        List<Integer> joinedPorts = joined == null || joined == routed.slot() || routed != stable ? List.of()
                : instances.getOrDefault(joined, List.of());
        List<Origin> out = new ArrayList<>();
        if (ports.isEmpty() && joinedPorts.isEmpty()) {
            ports = List.of(routed.address().getPort());
        }
        for (Integer port : ports) {
            out.add(known(routed.slot(), port, routed, now));
        }
        for (Integer port : joinedPorts) {
            out.add(known(joined, port, null, now));
        }
        return out.toArray(Origin[]::new);
    }

    /** The origin at {@code port}: the one routed before when there is one, so its outstanding count carries on. */
    private Origin known(Slot slot, int port, Origin routed, Map<InetSocketAddress, Origin> now) {
        Origin o = routed != null && port == routed.address().getPort() ? routed : origin(slot, port);
        Origin kept = known.get(o.address());
        o = kept != null && kept.slot() == o.slot() ? kept : o;
        now.put(o.address(), o);
        leaving.remove(port);
        return o;
    }

    private static String setCookie(String value) {
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
    }

    private static Origin origin(Slot slot, Integer port) {
        return slot == null || port == null ? null : new Origin(slot, new InetSocketAddress("127.0.0.1", port));
    }

    boolean maintenance() {
        return maintenance;
    }

    String maintenanceMessage() {
        return maintenanceMessage;
    }

    void maintenance(boolean on, String message) {
        maintenanceMessage = message;
        maintenance = on;
    }

    boolean paused() {
        return paused;
    }

    /** While paused, {@code connection} keeps {@code request} until {@link #resume()} or the pause runs out. */
    boolean hold(ClientConnection connection, HttpRequest request) {
        if (!paused) {
            return false;
        }
        synchronized (held) {
            if (!paused) {
                return false;
            }
            connection.hold(request);
            held.add(connection);
            return true;
        }
    }

    void pause(Duration max) {
        long generation;
        synchronized (held) {
            paused = true;
            generation = ++pauseGeneration;
        }
        timer.schedule(() -> {
            // whatever is still held when the pause runs out gets a 503, never an endless wait
            synchronized (held) {
                if (!paused || generation != pauseGeneration) {
                    return;
                }
                paused = false;
                releaseHeld(true);
            }
        }, Math.max(1, max.toMillis()), TimeUnit.MILLISECONDS);
    }

    void resume() {
        synchronized (held) {
            paused = false;
            releaseHeld(false);
        }
    }

    // with the lock held
    private void releaseHeld(boolean refuse) {
        for (ClientConnection c : held) {
            c.loop().execute(() -> c.release(refuse));
        }
        held.clear();
    }
}
