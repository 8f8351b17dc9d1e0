package calfkit.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import calfkit.data.Slice;
import calfkit.data.SliceIndex;
import calfkit.data.phantom.PhantomGenerator;
import calfkit.image.png.PngReader;
import calfkit.model.Models;
import calfkit.train.RunFolder;

/**
 * The paper's annotation-bias question on a phantom whose masks are biased (rough polygons drawn around each
 * tumour) and whose true tumours are known ({@link PhantomGenerator#TRUTH}): the runs of a grid trained on the
 * biased masks, each best model's test predictions compared with the masks it learned from and with the true
 * tumours.
 *
 * <p>Per run, pooled over the test slices: DSC against the annotation and against the truth; the predicted area
 * over the annotated area and over the true area (above 1: over-segmentation); and the annotation's own area over
 * the true area, which is what a model that copied the annotations perfectly would over-segment by.
 */
public final class AnnotationStudy {

    private AnnotationStudy() {
    }

    public static Table compare(Grid grid, Path results, SliceIndex index, ExperimentPlan plan) throws IOException {
        StringColumn model = StringColumn.create("model");
        StringColumn loss = StringColumn.create("loss");
        IntColumn seed = IntColumn.create("seed");
        DoubleColumn dscAnnotation = DoubleColumn.create("dsc_annotation");
        DoubleColumn dscTruth = DoubleColumn.create("dsc_truth");
        DoubleColumn overAnnotated = DoubleColumn.create("predicted / annotated area");
        DoubleColumn overTrue = DoubleColumn.create("predicted / true area");
        DoubleColumn annotatedOverTrue = DoubleColumn.create("annotated / true area");
        PngReader reader = new PngReader();
        for (String m : grid.models()) {
            for (String l : grid.losses()) {
                for (long s : grid.seeds(plan)) {
                    RunFolder run = new RunFolder(Experiments.runDir(results, m, l, grid.ratio(), s));
                    List<Slice> test = run.config().data(index).split().test();
                    long predicted = 0;
                    long annotated = 0;
                    long truth = 0;
                    long hitAnnotation = 0;
                    long hitTruth = 0;
                    for (Predictions.Prediction p : Predictions.of(run, index, test)) {
                        byte[] t = reader.read(PhantomGenerator.truthPath(index, p.slice()));
                        for (int i = 0; i < t.length; i++) {
                            boolean y = p.predicted()[i];
                            boolean a = p.truth()[i] > 0.5f;
                            boolean r = t[i] != 0;
                            predicted += y ? 1 : 0;
                            annotated += a ? 1 : 0;
                            truth += r ? 1 : 0;
                            hitAnnotation += y && a ? 1 : 0;
                            hitTruth += y && r ? 1 : 0;
                        }
                    }
                    model.append(Models.label(m));
                    loss.append(Experiments.label(l));
                    seed.append((int) s);
                    dscAnnotation.append(2.0 * hitAnnotation / Math.max(1, predicted + annotated));
                    dscTruth.append(2.0 * hitTruth / Math.max(1, predicted + truth));
                    overAnnotated.append((double) predicted / Math.max(1, annotated));
                    overTrue.append((double) predicted / Math.max(1, truth));
                    annotatedOverTrue.append((double) annotated / Math.max(1, truth));
                }
            }
        }
        return Table.create("trained on polygon annotations: test predictions against the annotations and the true "
                + "tumours, pooled over the test slices (measured by this kit)", model, loss, seed, dscAnnotation,
                dscTruth, overAnnotated, overTrue, annotatedOverTrue);
    }
}
