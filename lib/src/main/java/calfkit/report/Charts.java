package calfkit.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

import calfkit.experiments.ExperimentPlan;
import calfkit.experiments.Experiments;
import calfkit.experiments.Grid;
import calfkit.experiments.GridResults;
import calfkit.loss.CalfLoss;
import calfkit.loss.Losses;
import calfkit.loss.SegmentationLoss;
import calfkit.model.Models;
import calfkit.stats.AreaDistribution;
import calfkit.stats.Branch;
import calfkit.train.Convergence;
import calfkit.train.EpochRow;
import calfkit.train.Recipe;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;

/** The notebooks' charts (XChart). Each title says whether its numbers were measured here or published. */
public final class Charts {

    private Charts() {
    }

    /**
     * Histogram of foreground areas with the distribution's moments in the title: about {@code bins} bins of a
     * round width (1, 2 or 5 × 10^k pixels), so that the bin starts read 0, 10, 20, … rather than 0, 7, 15, 22.
     */
    public static CategoryChart areaHistogram(long[] areas, AreaDistribution d, int bins, String title) {
        long max = 1;
        for (long a : areas) {
            max = Math.max(max, a);
        }
        long width = roundStep((double) (max + 1) / bins);
        bins = (int) ((max + width) / width);
        List<String> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int[] c = new int[bins];
        for (long a : areas) {
            if (d.emptyMasks() == calfkit.stats.EmptyMasks.EXCLUDE && a == 0) {
                continue;
            }
            c[(int) Math.min(bins - 1, a / width)]++;
        }
        for (int b = 0; b < bins; b++) {
            labels.add(String.valueOf(b * width));
            counts.add(c[b]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(720).height(340).title(String.format(
                "%s: n=%d, mean %.0f, σ %.0f, S %.3f, K %.3f", title, d.n(), d.mean(), d.std(), d.skewness(), d.kurtosis()))
                .xAxisTitle("foreground area (pixels), bin start").yAxisTitle("masks").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setAvailableSpaceFill(0.95);
        chart.addSeries("masks", labels, counts);
        return chart;
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, … that is at least {@code step}. */
    static long roundStep(double step) {
        long unit = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * unit >= step) {
                    return m * unit;
                }
            }
            unit *= 10;
        }
    }

    /**
     * CALF's Table 2 as a picture: the (S, K) plane with the rule boundaries, and datasets as points.
     *
     * @param points label → {S, K}
     */
    public static XYChart branchPlane(Map<String, double[]> points, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(440).title(title).xAxisTitle("skewness S")
                .yAxisTitle("excess kurtosis K").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(9);
        double kMin = -2;
        double kMax = 6;
        for (double s : new double[] {-1, -0.5, 0, 0.5, 1}) {
            XYSeries line = chart.addSeries("S = " + s, new double[] {s, s}, new double[] {kMin, kMax});
            line.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY).setShowInLegend(false);
        }
        XYSeries k0 = chart.addSeries("K = 0 (0 < S ≤ 0.5)", new double[] {0, 0.5}, new double[] {0, 0});
        k0.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY).setShowInLegend(false);
        // Region names staggered in height: the middle regions are narrow.
        String[] regions = {"Fisher", "Logit", "Arcsine", "0<S≤0.5", "ln", "Log10"};
        double[] at = {-1.7, -0.75, -0.25, 0.25, 0.75, 1.9};
        double[] height = {kMax - 0.5, kMax - 1.2, kMax - 0.5, kMax - 1.9, kMax - 1.2, kMax - 0.5};
        for (int i = 0; i < regions.length; i++) {
            chart.addAnnotation(new org.knowm.xchart.AnnotationText(regions[i], at[i], height[i], false));
        }
        chart.addAnnotation(new org.knowm.xchart.AnnotationText("BCE-Dice", 0.25, 1.0, false));
        chart.addAnnotation(new org.knowm.xchart.AnnotationText("Log10", 0.25, -1.0, false));
        int point = 0;
        for (Map.Entry<String, double[]> e : points.entrySet()) {
            double s = Math.max(-2.4, Math.min(3.4, e.getValue()[0]));
            double k = Math.max(kMin, Math.min(kMax, e.getValue()[1]));
            XYSeries p = chart.addSeries(e.getKey(), new double[] {s}, new double[] {k});
            // Each point a colour and a shape of its own: the palette's two blues and two oranges differ in shape.
            p.setMarker(POINT_SHAPES[point % POINT_SHAPES.length]).setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
            p.setMarkerColor(POINT_COLOURS[point % POINT_COLOURS.length]);
            point++;
        }
        chart.getStyler().setXAxisMin(-2.5).setXAxisMax(3.5).setYAxisMin(kMin).setYAxisMax(kMax);
        return chart;
    }

    /**
     * Each CALF transform's loss (or its derivative dL/dp) against the probability p for one target value y,
     * computed by the kit's losses on a single pixel (the derivative by autograd).
     */
    public static XYChart transformCurves(float y, boolean derivative) {
        int n = 199;
        double[] p = new double[n];
        float[] pf = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (i + 1) / (double) (n + 1);
            pf[i] = (float) p[i];
        }
        XYChart chart = new XYChartBuilder().width(720).height(380)
                .title((derivative ? "dL/dp" : "loss") + " against p for y = " + (int) y + " (computed by this kit)"
                        + (derivative ? "; axis cut at ±" + (int) DERIVATIVE_AXIS : ""))
                .xAxisTitle("p").yAxisTitle(derivative ? "dL/dp (per pixel)" : "L (per pixel)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(0);
        // p runs over (0, 1): ticks at 0, 0.2, … rather than from the first sample (0.005, 0.09, 0.175, …).
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setXAxisDecimalPattern("0.0");
        try (NDManager m = NDManager.newBaseManager()) {
            for (Branch b : Branch.values()) {
                SegmentationLoss loss = CalfLoss.transform(b);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    NDArray pa = m.create(new float[] {pf[i]}).reshape(1, 1, 1, 1);
                    NDArray ya = m.create(new float[] {y}).reshape(1, 1, 1, 1);
                    if (derivative) {
                        pa.setRequiresGradient(true);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            gc.backward(loss.fromProbabilities(pa, ya));
                        }
                        v[i] = pa.getGradient().getFloat();
                    } else {
                        v[i] = loss.fromProbabilities(pa, ya).getFloat();
                    }
                }
                chart.addSeries(b.label(), p, v).setMarker(SeriesMarkers.NONE).setLineColor(colour(b.label(), b.ordinal()));
            }
        }
        if (derivative) {
            // Near p = 0 or 1 the derivatives reach ±200 (1 / p at p = 0.005) and would flatten every other curve.
            chart.getStyler().setYAxisMin(-DERIVATIVE_AXIS).setYAxisMax(DERIVATIVE_AXIS);
        }
        return chart;
    }

    /** Training curves of runs: validation DSC (or another metrics.csv column) against the epoch. */
    public static XYChart trainingCurves(Map<String, Path> runs, String column, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(360).title(title).xAxisTitle("epoch").yAxisTitle(column).build();
        // Epochs as whole numbers; values with a leading zero (XChart's default prints 0.03 as ".03").
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0").setYAxisDecimalPattern("0.0##");
        // One colour per model (its fixed colour), one line style per run of that model (seeds): told apart in print.
        Map<Color, Integer> runsOfColour = new java.util.HashMap<>();
        int i = 0;
        for (Map.Entry<String, Path> e : runs.entrySet()) {
            List<EpochRow> rows = new RunFolder(e.getValue()).finishedEpochs();
            Color c = colour(e.getKey(), i++);
            int k = runsOfColour.merge(c, 1, Integer::sum) - 1;
            XYSeries series = chart.addSeries(e.getKey(), rows.stream().mapToDouble(EpochRow::epoch).toArray(),
                    rows.stream().mapToDouble(r -> r.value(column)).toArray());
            series.setLineColor(c).setLineStyle(LINE_STYLES[k % LINE_STYLES.length]);
            series.setMarkerColor(c);
        }
        return chart;
    }

    /**
     * Okabe and Ito's colour-blind-safe palette, yellow last (it is faint on white): for series that are not
     * losses, by position.
     */
    private static final Color[] OKABE_ITO = {new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73),
        new Color(0x0072B2), new Color(0xD55E00), new Color(0xCC79A7), new Color(0x000000), new Color(0x999999),
        new Color(0xF0E442)};

    /** Where the derivative charts cut their vertical axis. */
    private static final double DERIVATIVE_AXIS = 20;

    /** Points of a scatter, in turn: the palette's most distinct colours first, then the close ones. */
    private static final Color[] POINT_COLOURS = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x999999),
        new Color(0x882255)};
    private static final org.knowm.xchart.style.markers.Marker[] POINT_SHAPES = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    /** One colour per loss in every chart of the series (its label, {@code Losses.label}), from Okabe and Ito's palette. */
    private static final Map<String, Color> LOSS_COLOURS = Map.ofEntries(
            Map.entry("CALF", new Color(0xD55E00)), Map.entry("BCE", new Color(0x0072B2)),
            Map.entry("Focal", new Color(0x56B4E9)), Map.entry("Dice", new Color(0x009E73)),
            Map.entry("IoU", new Color(0xE69F00)), Map.entry("Tversky", new Color(0xCC79A7)),
            Map.entry("BCE-Dice", new Color(0x000000)), Map.entry("A-FL", new Color(0x999999)),
            Map.entry("Boundary", new Color(0x7F3C8D)), Map.entry("Modified boundary", new Color(0x3B7A57)),
            // the branch study's transformations (notebook 09), distinct among themselves, Dice and BCE-Dice
            Map.entry("Fisher", new Color(0x56B4E9)), Map.entry("Logit", new Color(0x332288)),
            Map.entry("Arcsine", new Color(0xCC79A7)), Map.entry("Log10", new Color(0xD55E00)),
            Map.entry("Natural log", new Color(0x7F3C8D)), Map.entry("BCE / ln 10", new Color(0x999999)),
            // A-FL's ablation beside Focal: each variant a colour of its own (the palette's would repeat Focal's)
            Map.entry("A-FL α", new Color(0x8C564B)), Map.entry("A-FL α γva", new Color(0xBCBD22)),
            Map.entry("A-FL α γmSa", new Color(0x17BECF)), Map.entry("A-FL γva γmSa", new Color(0x1F3A93)));

    /** One colour per model in every chart of the series (its label, {@code Models.label}). */
    private static final Map<String, Color> MODEL_COLOURS = Map.of("U-Net", new Color(0x0072B2),
            "DeepLabV3", new Color(0xE69F00), "DeepLabV3+", new Color(0xCC79A7), "FPN", new Color(0x009E73));

    private static final java.awt.BasicStroke[] LINE_STYLES = {org.knowm.xchart.style.lines.SeriesLines.SOLID,
        org.knowm.xchart.style.lines.SeriesLines.DASH_DASH, org.knowm.xchart.style.lines.SeriesLines.DOT_DOT,
        org.knowm.xchart.style.lines.SeriesLines.DASH_DOT};

    /**
     * The colour of a series: its loss's fixed colour; else, for a label that starts with a model's name ("U-Net
     * CALF seed 2"), the model's; else the palette's colour at {@code index}.
     */
    public static Color colour(String label, int index) {
        Color loss = LOSS_COLOURS.get(label);
        if (loss != null) {
            return loss;
        }
        String model = label.split(" ", 2)[0];
        return MODEL_COLOURS.getOrDefault(model, OKABE_ITO[index % OKABE_ITO.length]);
    }

    /**
     * The validation DSC (the DSC the run's recipe selects on) per epoch of every run of a grid on one model: one
     * colour per loss, one line per seed. Runs that did not reach their plateau ({@link Convergence})
     * are drawn dashed, marked "NOT AT PLATEAU" in the legend and counted in the title; runs that collapsed to an empty
     * prediction ({@link Convergence#collapsed}) are dashed and marked "COLLAPSED". A run trained past its planned
     * epochs because it was still rising there ({@code PlateauExtension}) says so in the legend and the title.
     */
    public static XYChart convergence(Grid grid, String model, Path results,
                                      ExperimentPlan plan) throws IOException {
        XYChart chart = new XYChartBuilder().width(860).height(400).xAxisTitle("epoch").yAxisTitle("validation DSC (pooled)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(5);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        int rising = 0;
        int runs = 0;
        int extended = 0;
        for (int li = 0; li < grid.losses().size(); li++) {
            String loss = grid.losses().get(li);
            for (long seed : grid.seeds(plan)) {
                RunFolder run = new RunFolder(
                        Experiments.runDir(results, model, loss, grid.ratio(), seed));
                List<EpochRow> rows = run.finishedEpochs();
                if (rows.isEmpty()) {
                    continue;
                }
                TrainConfig config = run.config();
                Recipe recipe = config.effectiveRecipe();
                Convergence c = Convergence.of(rows, recipe);
                boolean ok = c.plateaued();
                runs++;
                rising += ok ? 0 : 1;
                String mark = !ok ? " NOT AT PLATEAU" : c.collapsed() ? " COLLAPSED" : "";
                int planned = config.epochs();
                String more = rows.size() > planned ? " (" + planned + " → " + rows.size() + " epochs)" : "";
                extended += more.isEmpty() ? 0 : 1;
                XYSeries series = chart.addSeries(Losses.label(loss) + " seed " + seed + mark + more,
                        rows.stream().mapToDouble(EpochRow::epoch).toArray(),
                        rows.stream().mapToDouble(r -> Convergence.selectionDsc(r, recipe)).toArray());
                series.setLineColor(colour(Losses.label(loss), li));
                series.setMarkerColor(colour(Losses.label(loss), li));
                series.setLineStyle(mark.isEmpty() ? new BasicStroke(1.5f) : new BasicStroke(1.5f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        chart.setTitle(Models.label(model) + ", " + grid.name() + " (measured): "
                + (rising == 0 ? "all " + runs + " runs at their plateau" : rising + " of " + runs + " runs NOT at their plateau")
                + (extended == 0 ? "" : ", " + extended + " after an extension cycle"));
        return chart;
    }

    /**
     * A heat map of an image-sized array (h × w, row-major) as the image is seen: row 0 at the top, one cell per
     * pixel, or per {@code ⌈w / 64⌉}-th pixel in each direction for larger images (XChart draws every cell as a
     * shape). Colours diverge around 0 (blue below, white at 0, red above, symmetric), so that a signed distance
     * map shows the object blue, its contour white and the background red.
     */
    public static HeatMapChart heatMap(float[] values, int w, int h, String series, String title) {
        HeatMapChart heat = new HeatMapChartBuilder().width(640).height(560).title(title).xAxisTitle("x")
                .yAxisTitle("y (row 0 at the top)").build();
        int stride = Math.max(1, (w + 63) / 64);
        List<Integer> xs = java.util.stream.IntStream.range(0, w / stride).boxed().toList();
        List<Integer> ys = java.util.stream.IntStream.range(0, h / stride).map(i -> h / stride - 1 - i).boxed().toList();
        List<Number[]> cells = new ArrayList<>();
        double extreme = 0;
        for (int y : ys) {
            for (int x : xs) {
                float v = values[y * stride * w + x * stride];
                extreme = Math.max(extreme, Math.abs(v));
                cells.add(new Number[] {x, y, v});
            }
        }
        heat.getStyler().setAxisTicksVisible(false);
        heat.getStyler().setRangeColors(new Color[] {new Color(0x00, 0x5a, 0xb5), Color.WHITE, new Color(0xdc, 0x32, 0x20)});
        double bound = Math.max(1, Math.ceil(extreme)); // a whole number: the legend prints its ends as they are
        heat.getStyler().setMin(-bound).setMax(bound);
        heat.getStyler().setHeatMapValueDecimalPattern("0.0");
        heat.addSeries(series, xs, ys, cells);
        return heat;
    }

    /** Grouped bars: one group per {@code category} value, one bar per {@code series} value. */
    public static CategoryChart bars(Table t, String category, String series, String value, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(360).title(title).xAxisTitle(category)
                .yAxisTitle(value).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> cats = GridResults.inOrder(t.stringColumn(category));
        List<String> names = GridResults.inOrder(t.stringColumn(series));
        for (int i = 0; i < names.size(); i++) {
            String s = names.get(i);
            List<Double> values = new ArrayList<>();
            for (String c : cats) {
                Table row = t.where(t.stringColumn(category).isEqualTo(c).and(t.stringColumn(series).isEqualTo(s)));
                values.add(row.rowCount() == 0 ? 0.0 : row.numberColumn(value).getDouble(0));
            }
            chart.addSeries(s, cats, values).setFillColor(colour(s, i));
        }
        return chart;
    }

    /**
     * Dots for values that differ by little (DSC of several losses): one group per {@code category} value, one dot
     * per {@code series} value, with a bar of ± the column {@code value + " sd"} where the table has it (the spread
     * over seeds; none for one seed), and the value axis zoomed to the data and titled so, so that gaps of 0.01 show.
     */
    public static CategoryChart dots(Table t, String category, String series, String value, String title) {
        boolean sd = t.columnNames().contains(value + " sd");
        List<String> cats = GridResults.inOrder(t.stringColumn(category));
        List<String> names = GridResults.inOrder(t.stringColumn(series));
        List<List<Double>> means = new ArrayList<>();
        List<List<Double>> bars = new ArrayList<>();
        for (String s : names) {
            List<Double> m = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (String c : cats) {
                Table row = t.where(t.stringColumn(category).isEqualTo(c).and(t.stringColumn(series).isEqualTo(s)));
                m.add(row.rowCount() == 0 ? Double.NaN : row.numberColumn(value).getDouble(0));
                double e = sd && row.rowCount() > 0 ? row.numberColumn(value + " sd").getDouble(0) : Double.NaN;
                b.add(Double.isNaN(e) ? 0.0 : e);
            }
            means.add(m);
            bars.add(b);
        }
        return dotChart(title, category, value + (sd ? " (± sd over seeds)" : ""), cats, names, means, bars);
    }

    /**
     * The branch study's runs as dots: one group per region, one dot per loss at its mean pooled test DSC over the
     * trainings, with a bar of ± the half-width of its 95 % Student-t interval over trainings; the axis zoomed to the
     * data, so that gaps of 0.01 show.
     */
    public static CategoryChart studyDots(Table runs, String title) {
        List<String> regions = GridResults.inOrder(runs.stringColumn("region"));
        List<String> losses = GridResults.inOrder(runs.stringColumn("loss"));
        List<List<Double>> means = new ArrayList<>();
        List<List<Double>> bars = new ArrayList<>();
        for (String loss : losses) {
            List<Double> m = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (String r : regions) {
                Table sub = runs.where(runs.stringColumn("region").isEqualTo(r).and(runs.stringColumn("loss").isEqualTo(loss)));
                calfkit.metrics.SeedStatistics.MeanCi ci = calfkit.metrics.SeedStatistics.meanCi(sub.doubleColumn("dsc_pooled")
                        .asDoubleArray());
                m.add(ci.mean());
                b.add(Double.isNaN(ci.halfWidth()) ? 0 : ci.halfWidth());
            }
            means.add(m);
            bars.add(b);
        }
        return dotChart(title, "region of Table 2 (tumour masks only)", "pooled test DSC", regions, losses, means, bars);
    }

    private static CategoryChart dotChart(String title, String xTitle, String yTitle, List<String> cats, List<String> names,
                                          List<List<Double>> means, List<List<Double>> bars) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(400).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle + ", axis zoomed to the data").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(9);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < names.size(); i++) {
            for (int j = 0; j < cats.size(); j++) {
                double m = means.get(i).get(j);
                if (!Double.isNaN(m)) {
                    lo = Math.min(lo, m - bars.get(i).get(j));
                    hi = Math.max(hi, m + bars.get(i).get(j));
                }
            }
            chart.addSeries(names.get(i), cats, means.get(i), bars.get(i)).setMarkerColor(colour(names.get(i), i));
        }
        if (lo <= hi) {
            double pad = Math.max(0.005, 0.05 * (hi - lo));
            chart.getStyler().setYAxisMin(lo >= 0 ? Math.max(0, lo - pad) : lo - pad).setYAxisMax(hi <= 1 ? Math.min(1, hi + pad)
                    : hi + pad);
        }
        chart.getStyler().setYAxisDecimalPattern("0.00");
        return chart;
    }
}
