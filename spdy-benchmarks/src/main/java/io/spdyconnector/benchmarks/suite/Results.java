package io.spdyconnector.benchmarks.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a suite run measured: one summary row per measure and container (the ratio the issue's
 * targets are about), detail tables with the numbers behind each ratio, and the series for charts.
 * Filled from the suite's one thread.
 */
final class Results {
    /**
     * One measure on one container.
     *
     * @param measure   P1 to P7
     * @param container "Jetty 12.1.12", "Tomcat 11.0.25", or "engine" for P7
     * @param what      what was compared
     * @param spdy      SPDY's figure, formatted with its unit
     * @param reference the reference's figure, formatted with its unit and name
     * @param ratio     SPDY ÷ reference, or NaN where the target is not a ratio
     * @param target    the target, as the issue states it
     * @param met       whether the target holds in this run
     */
    record Row(String measure, String container, String what, String spdy, String reference, double ratio,
            String target, boolean met) {
    }

    /** A table under a measure's heading: its first row is the header. */
    record Detail(String measure, String title, List<List<String>> table) {
    }

    /** A bar chart: categories (containers) on the x axis, one bar series per protocol or case. */
    static final class Chart {
        final String file;
        final String title;
        final String yAxis;
        final List<String> categories = new ArrayList<>();
        final Map<String, Map<String, Double>> series = new LinkedHashMap<>();

        Chart(String file, String title, String yAxis) {
            this.file = file;
            this.title = title;
            this.yAxis = yAxis;
        }
    }

    final List<Row> rows = new ArrayList<>();
    final List<Detail> details = new ArrayList<>();
    final Map<String, Chart> charts = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    void row(String measure, String container, String what, String spdy, String reference, double ratio,
            String target, boolean met) {
        rows.add(new Row(measure, container, what, spdy, reference, ratio, target, met));
    }

    void detail(String measure, String title, List<List<String>> table) {
        details.add(new Detail(measure, title, table));
    }

    /** Adds one bar to the chart {@code file} (created with its title and axis on first use). */
    void bar(String file, String title, String yAxis, String category, String series, double value) {
        Chart c = charts.computeIfAbsent(file, f -> new Chart(f, title, yAxis));
        if (!c.categories.contains(category)) {
            c.categories.add(category);
        }
        c.series.computeIfAbsent(series, s -> new LinkedHashMap<>()).put(category, value);
    }

    void note(String text) {
        notes.add(text);
    }

    /** Whether every measure that was asked for produced a finite ratio or figure. */
    boolean has(String measure) {
        return rows.stream().anyMatch(r -> r.measure().equals(measure));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String bytes(double v) {
        return Math.abs(v) >= 10 * 1024 ? fmt(v / 1024) + " KiB" : fmt(v) + " B";
    }

    /** Each run of {@code a} divided by the run of {@code b} of the same round. */
    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            r.add(a.get(i) / b.get(i));
        }
        return r;
    }

    /** The median of the rounds' ratios: paired runs, measured side by side. */
    static double pairedRatio(List<Double> a, List<Double> b) {
        return median(ratios(a, b));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
