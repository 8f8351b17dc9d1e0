// CALF Kit notebook setup, loaded by the first cell of every notebook:   %load utils/calf-kit.jsh
// The kit's jar and its dependencies are already on the kernel's classpath (environment/setup.sh registers
// the "calf-java" kernel with them), so nothing is downloaded here.

import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.stream.*;

import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;

import org.knowm.xchart.*;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.*;

import calfkit.config.*;
import calfkit.data.*;
import calfkit.data.phantom.*;
import calfkit.data.source.*;
import calfkit.engine.*;
import calfkit.image.*;
import calfkit.image.png.*;
import calfkit.experiments.*;
import calfkit.loss.*;
import calfkit.metrics.*;
import calfkit.model.*;
import calfkit.report.*;
import calfkit.stats.*;
import calfkit.train.*;

// CALF_SCALE (smoke | quick | full) and CALF_DATA (a slice dataset; default: the embedded synthetic one).
Settings SETTINGS = Settings.fromEnvironment();
Scale SCALE = SETTINGS.scale();
// CALF_PROTOCOL (kit | authors): whose experimental protocol the runs follow (docs/protocols.md).
Protocol PROTOCOL = Protocol.fromEnvironment();
// How big the training experiments are at this scale (seeds, epochs, training slices), under that protocol.
ExperimentPlan PLAN = ExperimentPlan.forScale(SCALE, PROTOCOL);
// Where runs and CSV results are saved (beside the executed notebooks when run by environment/run-notebooks.sh;
// runs of the authors' protocol in its subfolder authors-protocol/).
Path RESULTS = Settings.resultsDir(PROTOCOL);

// show(x): draws a chart or an image (image/png) or a table (text/html) inline. Returns nothing, so a
// show(...) as the last statement of a cell adds no extra output (a bare display(...) also prints its id).
void show(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) { display(Render.image(chart)); }
void show(Table table) { display("text/html", Render.html(table)); }
// showSortable(table): the table with headers that sort its rows when clicked (notebook 06).
void showSortable(Table table) { display("text/html", Render.sortableHtml(table)); }
void show(BufferedImage image) { display(image); }

// LIVE: where grids show their progress, one line per run rewritten in place (epoch, batch, loss, elapsed time,
// time left) through Jupyter's display updates. Experiments.run(..., System.out) prints the epochs instead.
ProgressDisplay LIVE = ProgressDisplay.live(html -> display("text/html", html), (id, html) -> updateDisplay(id, "text/html", html));
