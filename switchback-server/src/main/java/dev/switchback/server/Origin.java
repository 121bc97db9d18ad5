package dev.switchback.server;

import dev.switchback.deploy.Slot;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a release the router sends requests to: its slot and its port on 127.0.0.1. The same object stays
 * while the instance is routed, so its count of outstanding requests survives a routing change.
 */
final class Origin {
    private final Slot slot;
    private final InetSocketAddress address;
    /** Requests forwarded to it that have not ended: what the balancer compares (least outstanding requests). */
    final AtomicInteger outstanding = new AtomicInteger();
    /** The number of the last pick that chose it (0: none yet): among instances tied, the one picked longest ago goes next. */
    volatile long lastPick;
    private static final java.lang.invoke.VarHandle LAST_PICK;

    static {
        try {
            LAST_PICK = java.lang.invoke.MethodHandles.lookup().findVarHandle(Origin.class, "lastPick", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Marks it picked as {@code pick}, unless another pick marked it since it was seen at {@code seen}. */
    boolean claim(long seen, long pick) {
        return LAST_PICK.compareAndSet(this, seen, pick);
    }
    private static final long REFUSED_NANOS = 1_000_000_000L;
    /** When a connection to it was last refused (0: never): for a second it is skipped while another instance can serve. */
    private volatile long refusedAt;

    Origin(Slot slot, InetSocketAddress address) {
        this.slot = slot;
        this.address = address;
    }

    void refused() {
        refusedAt = System.nanoTime() | 1;
    }

    boolean refusedRecently(long now) {
        long at = refusedAt;
        return at != 0 && now - at < REFUSED_NANOS;
    }

    Slot slot() {
        return slot;
    }

    InetSocketAddress address() {
        return address;
    }
}
