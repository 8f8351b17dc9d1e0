// CALF Kit notebook setup, loaded by the first cell of every notebook:   %load utils/calf-kit.jsh
// The kit's jar and its dependencies are already on the kernel's classpath (environment/setup.sh registers
// the "calf-java" kernel with them), so nothing is downloaded here.

import java.nio.file.*;
import java.util.stream.*;

import ai.djl.*;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;

import org.knowm.xchart.*;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.*;

import calfkit.config.*;
import calfkit.engine.*;
import calfkit.report.*;

// CALF_SCALE (smoke | quick | full) and CALF_DATA (a slice dataset; default: the embedded synthetic one).
Settings SETTINGS = Settings.fromEnvironment();
Scale SCALE = SETTINGS.scale();

// show(x): draws a chart (image/png) or a table (text/html) inline. Returns nothing, so a show(...) as the
// last statement of a cell adds no extra output (a bare display(...) would also print its display id).
void show(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) { display(Render.image(chart)); }
void show(Table table) { display("text/html", Render.html(table)); }

