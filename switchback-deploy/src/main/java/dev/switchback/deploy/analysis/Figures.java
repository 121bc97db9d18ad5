package dev.switchback.deploy.analysis;

/** Numbers for reasons and messages: a few decimals, no trailing zeros, no exponent; cheap, as the judge writes a reason every look. */
final class Figures {
    private Figures() {
    }

    /** {@code value} rounded to at most {@code places} decimals (0 to 3): 0.5, 12, 1.25. */
    static String of(double value, int places) {
        if (!Double.isFinite(value) || Math.abs(value) >= 1e15) {
            return String.valueOf(value);
        }
        long scale = places == 0 ? 1 : places == 1 ? 10 : places == 2 ? 100 : 1000;
        long units = Math.round(Math.abs(value) * scale);
        StringBuilder out = new StringBuilder(value < 0 && units != 0 ? "-" : "").append(units / scale);
        long fraction = units % scale;
        if (fraction != 0) {
            String digits = Long.toString(scale + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.toString();
    }
}
