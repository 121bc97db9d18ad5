package dev.switchback.deploy.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.Locale;

/**
 * One look of the judge, with the numbers behind it, so that a rollback can always be explained. Written as JSON as
 * status and history show it: {@code at} in ISO-8601, enums in lower case.
 *
 * @param errorEvidence   the sequential test's evidence that the canary fails more often than stable (an e-value:
 *                        1 is none; the canary can fail on errors once it reaches {@link Judge#FAIL_EVIDENCE})
 * @param latencyEvidence the same for requests slower than the latency limit
 */
public record Verdict(@JsonSerialize(using = ToStringSerializer.class) Instant at, Outcome verdict, Cause cause, String reason, Side canary, Side stable,
                      double errorEvidence, double latencyEvidence) {

    public enum Outcome {
        PASS, FAIL, NOT_YET;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why the judge answered as it did. */
    public enum Cause {
        /** PASS: both sides served enough and the canary is within both limits. */
        WITHIN_LIMITS,
        /** NOT_YET: a side has served fewer than {@code minRequests} (since the warm-up, to judge latency). */
        TOO_FEW_REQUESTS,
        /** NOT_YET: errors are within limits, latency is not judged yet ({@code deploy.analysis.warmup}). */
        WARMING_UP,
        /** NOT_YET: the canary is above a limit, but not yet by more than chance explains. */
        NOT_YET_SIGNIFICANT,
        /** FAIL: the error rate is above its limit and the test says it is not chance. */
        ERROR_RATE,
        /** FAIL: the p99 is above its limit and the test says it is not chance. */
        LATENCY,
        /** FAIL: the fast path, {@code abortErrorRate} reached without waiting for the test. */
        ABORT_ERROR_RATE;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One side's numbers: requests and errors since the step began, p99 since the warm-up ended (during it, since the step began). */
    public record Side(long requests, long errors, double p99Ms) {
        static Side of(Window whole, Window timed) {
            return new Side(whole.requests(), whole.errors(), Math.round(timed.latencies().p99Millis() * 10) / 10.0);
        }
    }

    public boolean failed() {
        return verdict == Outcome.FAIL;
    }
}
