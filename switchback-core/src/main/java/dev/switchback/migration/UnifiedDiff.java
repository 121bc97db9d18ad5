package dev.switchback.migration;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts by lines (LCS), for showing how an applied migration was edited. */
final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final long MAX_CELLS = 25_000_000L;

    private UnifiedDiff() {
    }

    private static String[] lines(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.isEmpty() ? new String[0] : body.split("\n", -1);
    }

    static String of(String before, String after, String beforeName, String afterName) {
        String[] a = lines(before);
        String[] b = lines(after);
        if ((long) a.length * b.length > MAX_CELLS) {
            return "--- " + beforeName + "\n+++ " + afterName + "\n(too large to diff: " + a.length + " and " + b.length + " lines)\n";
        }
        // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String[]> ops = new ArrayList<>(); // {op, line, aIndex, bIndex}
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                ops.add(new String[]{" ", a[i], String.valueOf(i), String.valueOf(j)});
                i++;
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new String[]{"-", a[i], String.valueOf(i), String.valueOf(j)});
                i++;
            } else {
                ops.add(new String[]{"+", b[j], String.valueOf(i), String.valueOf(j)});
                j++;
            }
        }
        StringBuilder out = new StringBuilder("--- " + beforeName + "\n+++ " + afterName + "\n");
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k)[0].equals(" ")) {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // extend the hunk while changes are within 2*CONTEXT lines of each other
            int lastChange = k;
            while (end < ops.size() && end - lastChange <= 2 * CONTEXT) {
                if (!ops.get(end)[0].equals(" ")) {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = Integer.parseInt(ops.get(start)[2]);
            int bStart = Integer.parseInt(ops.get(start)[3]);
            int aCount = 0;
            int bCount = 0;
            StringBuilder body = new StringBuilder();
            for (int x = start; x < end; x++) {
                String op = ops.get(x)[0];
                if (!op.equals("+")) {
                    aCount++;
                }
                if (!op.equals("-")) {
                    bCount++;
                }
                body.append(op).append(ops.get(x)[1]).append('\n');
            }
            out.append("@@ -").append(aStart + 1).append(',').append(aCount).append(" +").append(bStart + 1).append(',')
                    .append(bCount).append(" @@\n").append(body);
            k = end;
        }
        return out.toString();
    }
}
