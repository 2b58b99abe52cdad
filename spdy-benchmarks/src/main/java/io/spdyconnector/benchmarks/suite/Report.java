package io.spdyconnector.benchmarks.suite;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a run's {@link Results}: {@code results.md} (the summary table, the machine, the command
 * and the details) and one PNG bar chart per chart, drawn with XChart, into the output directory.
 */
final class Report {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private Report() {
    }

    static List<Path> write(Results results, Path dir, String machine, String command) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Results.Chart chart : results.charts.values()) {
            written.add(chart(chart, dir));
        }
        StringBuilder md = new StringBuilder();
        md.append("# Performance suite results\n\n");
        md.append(machine).append("\n\n");
        md.append("```sh\n").append(command).append("\n```\n\n");
        md.append("| measure | container | compared | SPDY | reference | ratio | target | met |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Results.Row r : results.rows) {
            md.append("| ").append(r.measure()).append(" | ").append(r.container()).append(" | ").append(r.what())
                    .append(" | ").append(r.spdy()).append(" | ").append(r.reference()).append(" | ")
                    .append(Double.isNaN(r.ratio()) ? "–" : "**" + Results.fmt(r.ratio()) + "×**").append(" | ")
                    .append(r.target()).append(" | ").append(r.met() ? "yes" : "**no**").append(" |\n");
        }
        for (String note : results.notes) {
            md.append("\n").append(note).append("\n");
        }
        String measure = "";
        List<Results.Detail> details = new ArrayList<>(results.details);
        details.sort(Comparator.comparing(Results.Detail::measure));
        for (Results.Detail d : details) {
            if (!d.measure().equals(measure)) {
                measure = d.measure();
                md.append("\n## ").append(measure).append("\n");
            }
            md.append("\n").append(d.title()).append(":\n\n");
            List<List<String>> t = d.table();
            md.append(row(t.get(0)));
            md.append(t.get(0).stream().map(c -> "---").collect(Collectors.joining("|", "|", "|\n")));
            for (List<String> line : t.subList(1, t.size())) {
                md.append(row(line));
            }
        }
        if (!results.charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (Results.Chart c : results.charts.values()) {
                md.append("![").append(c.title).append("](").append(c.file).append(")\n\n");
            }
        }
        Path file = dir.resolve("results.md");
        Files.writeString(file, md);
        written.add(0, file);
        return written;
    }

    private static String row(List<String> cells) {
        return cells.stream().collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    private static Path chart(Results.Chart c, Path dir) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(720, legendWidth(c.series.keySet())))
                .height(420).title(c.title).xAxisTitle("").yAxisTitle(c.yAxis).build();
        // Outside the plot, so the legend hides no bar.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setSeriesColors(COLORS);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        // At the top of each bar, in black, which every series colour leaves readable.
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setYAxisMin(0.0);
        double max = 0;
        for (Map.Entry<String, Map<String, Double>> s : c.series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String category : c.categories) {
                Double v = s.getValue().get(category);
                double value = v == null || v.isNaN() || v.isInfinite() ? 0.0 : v;
                values.add(value);
                max = Math.max(max, value);
            }
            chart.addSeries(s.getKey(), c.categories, values);
        }
        // Bar labels and axis ticks share the y axis pattern: as many decimals as the scale needs.
        chart.getStyler().setYAxisDecimalPattern(max >= 100 ? "#,##0" : max >= 10 ? "#,##0.0" : "#,##0.00");
        Path file = dir.resolve(c.file);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** About what a one-line legend of these series needs, in pixels: a wider chart, not a cut legend. */
    private static int legendWidth(Collection<String> series) {
        int width = 40;
        for (String name : series) {
            width += 40 + 6 * name.length();
        }
        return width;
    }
}
