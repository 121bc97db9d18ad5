package dev.switchback.deploy.analysis;

/**
 * Evidence that the canary has more bad requests (errors, or slow ones) than the stable release, collected look by
 * look, valid however often it looks.
 *
 * <p>Each look adds what both sides served since the last one. Given how many bad requests there were in total in
 * that stretch, how many of them were the canary's follows the hypergeometric distribution when both sides are
 * equally good (and is smaller when the canary is better), whatever the shared rate is and whatever the load did
 * meanwhile. Against it stands a mixture of alternatives "the canary's odds of a bad request are ψ times the
 * stable's", for a fixed grid of ψ. The evidence is the mixture's likelihood ratio, a product over looks: under
 * "the canary is no worse" it is a nonnegative supermartingale starting at 1, so by Ville's inequality it ever reaches
 * {@code 1/α} with probability at most {@code α}, however many looks there are (a mixture sequential probability
 * ratio test). The evidence is the e-value; {@code 1/evidence} is an always-valid p-value.
 */
final class SequentialComparison {
    /** Odds ratios the mixture bets on: from a slightly worse canary to one that fails where stable never does. */
    private static final double[] PSI = {1.5, 2, 3, 5, 10, 30, 100, 1000};
    private static final double[] LOG_PSI = new double[PSI.length];
    /** Beyond this the number says nothing more, and it stays printable. */
    static final double MAX_EVIDENCE = 1e12;

    static {
        for (int j = 0; j < PSI.length; j++) {
            LOG_PSI[j] = Math.log(PSI[j]);
        }
    }

    /** The log likelihood ratio so far of each alternative. */
    private final double[] logRatio;

    SequentialComparison() {
        this.logRatio = new double[PSI.length];
    }

    /** Continues from {@link #state()}: the product of the ratios stays a supermartingale across the gap. */
    SequentialComparison(double[] state) {
        if (state.length != PSI.length) {
            throw new IllegalArgumentException("evidence to resume needs " + PSI.length + " log ratios, got " + state.length);
        }
        this.logRatio = state.clone();
    }

    /** The log likelihood ratio of each alternative, to resume from. */
    double[] state() {
        return logRatio.clone();
    }

    /**
     * Adds one stretch between two looks.
     *
     * @param canary    the canary's requests in the stretch
     * @param canaryBad of which bad
     * @param stable    the stable release's requests in the stretch
     * @param stableBad of which bad
     */
    void add(long canary, long canaryBad, long stable, long stableBad) {
        long bad = canaryBad + stableBad;
        long low = Math.max(0, bad - stable);
        long high = Math.min(bad, canary);
        if (low >= high) {
            return; // the split of the bad requests was certain: nothing to learn
        }
        int size = (int) Math.min(high - low + 1, Integer.MAX_VALUE);
        // log of the central hypergeometric weights, up to a constant: C(canary, x) C(stable, bad - x)
        double[] logWeight = new double[size];
        for (int i = 1; i < size; i++) {
            long x = low + i - 1;
            logWeight[i] = logWeight[i - 1] + Math.log((double) (canary - x) * (bad - x))
                    - Math.log((double) (x + 1) * (stable - bad + x + 1));
        }
        double logNull = logSumExp(logWeight, 0);
        for (int j = 0; j < PSI.length; j++) {
            // psi^x / E0[psi^X], E0 over the central hypergeometric; both sides counted from x = low
            double logMoment = logSumExp(logWeight, LOG_PSI[j]) - logNull;
            logRatio[j] += (canaryBad - low) * LOG_PSI[j] - logMoment;
        }
    }

    /** The mixture's likelihood ratio in favour of a worse canary (1 before any evidence), at most {@link #MAX_EVIDENCE}. */
    double evidence() {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logRatio) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logRatio) {
            sum += Math.exp(l - max);
        }
        return Math.min(MAX_EVIDENCE, Math.exp(max + Math.log(sum / PSI.length)));
    }

    /** log Σ exp(logWeight[i] + (low + i)·slope), leaving out the common factor exp(low·slope). */
    private static double logSumExp(double[] logWeight, double slope) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logWeight.length; i++) {
            max = Math.max(max, logWeight[i] + i * slope);
        }
        double sum = 0;
        for (int i = 0; i < logWeight.length; i++) {
            sum += Math.exp(logWeight[i] + i * slope - max);
        }
        return max + Math.log(sum);
    }
}
