package dev.switchback.kubernetes;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;

/**
 * One rollout at a time: a {@code coordination.k8s.io/v1} Lease {@code <name>-switchback}. Taken by create (or by an
 * update guarded by its resourceVersion once the holder let it lapse), renewed while held, given up at the end. A
 * holder that died leaves it to lapse after {@link #DURATION}.
 */
final class RolloutLease {
    static final Duration DURATION = Duration.ofSeconds(60);
    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final String holder;
    private final Clock clock;
    // this deployer's own view: when it last renewed, so a held lease costs no call until half its time is gone
    private ZonedDateTime renewed;
    private Lease mine;

    RolloutLease(KubernetesClient client, KubernetesConfig config, String holder, Clock clock) {
        this.client = client;
        this.config = config;
        this.holder = holder;
        this.clock = clock;
    }

    /** Takes or renews the lease, or refuses with who holds it. */
    void acquire(String what) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        if (renewed != null && now.isBefore(renewed.plus(DURATION.dividedBy(2)))) {
            return;
        }
        var leases = client.leases().inNamespace(config.namespace());
        Lease l = leases.withName(config.stateName()).get();
        try {
            if (l == null) {
                mine = leases.resource(new LeaseBuilder().withNewMetadata().withName(config.stateName()).withNamespace(config.namespace())
                        .addToLabels("app", config.name()).endMetadata().withNewSpec().withHolderIdentity(holder)
                        .withLeaseDurationSeconds((int) DURATION.toSeconds()).withAcquireTime(now).withRenewTime(now).endSpec().build())
                        .create();
            } else {
                String other = l.getSpec().getHolderIdentity();
                ZonedDateTime until = l.getSpec().getRenewTime() == null ? null
                        : l.getSpec().getRenewTime().plusSeconds(l.getSpec().getLeaseDurationSeconds() == null ? 0 : l.getSpec().getLeaseDurationSeconds());
                if (other != null && !other.isEmpty() && !other.equals(holder) && until != null && now.isBefore(until)) {
                    throw refused(what, other, l.getSpec().getAcquireTime(), until);
                }
                if (!holder.equals(other)) {
                    l.getSpec().setAcquireTime(now);
                    l.getSpec().setLeaseTransitions(l.getSpec().getLeaseTransitions() == null ? 1 : l.getSpec().getLeaseTransitions() + 1);
                }
                l.getSpec().setHolderIdentity(holder);
                l.getSpec().setRenewTime(now);
                l.getSpec().setLeaseDurationSeconds((int) DURATION.toSeconds());
                mine = leases.resource(l).lockResourceVersion(l.getMetadata().getResourceVersion()).update();
            }
            renewed = now;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                Lease now2 = leases.withName(config.stateName()).get();
                throw refused(what, now2 == null ? "someone" : now2.getSpec().getHolderIdentity(), null, null);
            }
            throw new SwitchbackException(ErrorCode.FAILED, "Could not take Lease " + config.stateName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * While a rollout waits (for its migration Job, for the readiness gate): renews the lease once half its time is gone,
     * so it never lapses under a long wait.
     *
     * @throws SwitchbackException when someone else took it meanwhile
     */
    void renew(String what) {
        if (renewed != null && ZonedDateTime.now(clock).isBefore(renewed.plus(DURATION.dividedBy(2)))) {
            return;
        }
        keep(what);
    }

    /**
     * Before a change to the cluster (a slot applied, traffic moved): one write guarded by the resourceVersion this
     * deployer last wrote, so it succeeds only while the lease is still this deployer's, and renews it.
     *
     * @throws SwitchbackException when the lease is no longer this deployer's
     */
    void keep(String what) {
        if (mine == null) {
            throw lost(what, "it is not held");
        }
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        Lease l = new LeaseBuilder(mine).editSpec().withRenewTime(now).endSpec().build();
        try {
            mine = client.leases().inNamespace(config.namespace()).resource(l).lockResourceVersion(l.getMetadata().getResourceVersion()).update();
            renewed = now;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw new SwitchbackException(ErrorCode.FAILED, "Could not renew Lease " + config.stateName() + ": " + e.getMessage(), e);
            }
            Lease other = client.leases().inNamespace(config.namespace()).withName(config.stateName()).get();
            renewed = null;
            mine = null;
            throw lost(what, other == null ? "it was deleted" : "it is held by " + other.getSpec().getHolderIdentity());
        }
    }

    /** False once {@link #keep} found the lease taken by someone else (or before it was taken). */
    boolean held() {
        return mine != null;
    }

    /** Gives the lease up (empties its holder), if this deployer holds it. */
    void release() {
        if (renewed == null) {
            return;
        }
        renewed = null;
        Lease l = mine;
        mine = null;
        if (l == null) {
            return;
        }
        // the lease as this deployer last wrote it: if anyone wrote it since (it lapsed and was taken), the guard refuses
        l.getSpec().setHolderIdentity(null);
        try {
            client.leases().inNamespace(config.namespace()).resource(l).lockResourceVersion(l.getMetadata().getResourceVersion()).update();
        } catch (KubernetesClientException e) {
            // someone took it over after it lapsed: theirs now
        }
    }

    private SwitchbackException lost(String what, String now) {
        return new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Cannot " + what + ": " + holder + " lost the rollout's Lease "
                + config.namespace() + "/" + config.stateName() + " while it waited (" + now + "); it stopped there, "
                + "without changing anything further. See `switchback upgrade status`.");
    }

    private SwitchbackException refused(String what, String other, ZonedDateTime since, ZonedDateTime until) {
        return new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Cannot " + what + ": " + other + " is running a rollout of "
                + config.name() + " (Lease " + config.namespace() + "/" + config.stateName()
                + (since == null ? "" : ", since " + since) + (until == null ? "" : ", until " + until + " unless renewed")
                + "). Wait for it, or `switchback upgrade status` to see what it does.");
    }
}
