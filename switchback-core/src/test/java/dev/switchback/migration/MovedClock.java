package dev.switchback.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock, moved ahead as far as the test says: time passes for the code under test while the test waits for nothing. */
final class MovedClock extends Clock {
    private final AtomicLong aheadMillis = new AtomicLong();

    void advance(Duration by) {
        aheadMillis.addAndGet(by.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(aheadMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a UTC clock only");
    }
}
