package io.totptoken.bench;

import java.util.Arrays;
import java.util.Locale;

/** Operations per second: a warm-up, then timed rounds; reported as median (min-max). */
final class Throughput {
    private Throughput() {
    }

    /**
     * @param seconds length of the warm-up and of each round
     * @param batch   operations between two looks at the clock (1 for slow operations)
     * @return the rate of each round, sorted
     */
    static double[] measure(Runnable op, double seconds, int rounds, int batch) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            op.run();
        }
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
                for (int i = 0; i < batch; i++) {
                    op.run();
                }
                n += batch;
                now = System.nanoTime();
            } while (now < end);
            rates[r] = n / ((now - start) / 1e9);
        }
        Arrays.sort(rates);
        return rates;
    }

    static void report(String what, String unit, double[] rates) {
        System.out.printf(Locale.ROOT, "  %-48s %,12.0f %s (%,.0f-%,.0f)%n", what, rates[rates.length / 2], unit,
                rates[0], rates[rates.length - 1]);
    }
}
