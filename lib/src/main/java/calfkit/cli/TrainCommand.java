package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import calfkit.config.Protocol;
import calfkit.config.Scale;
import calfkit.config.Settings;
import calfkit.data.RunData;
import calfkit.data.SliceIndex;
import calfkit.data.source.Datasets;
import calfkit.loss.Losses;
import calfkit.model.Initialisation;
import calfkit.model.Models;
import calfkit.stats.BranchScope;
import calfkit.train.Convergence;
import calfkit.train.Recipe;
import calfkit.train.RunFolder;
import calfkit.train.TrainConfig;
import calfkit.train.TrainConfigBuilder;
import calfkit.train.TrainingRun;

/** {@code calf train}: trains one model with one loss into a new run folder (or resumes one). */
final class TrainCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a model with a loss; config, metrics, checkpoints and test metrics go to a run folder";
    }

    @Override
    public String usage() {
        return """
                usage: calf train --data DIR --model MODEL --loss NAME --out RUNDIR
                                  [--ratio R] [--epochs N] [--extensions K] [--batch B] [--seed S] [--lr LR]
                                  [--size quick|paper] [--scope dataset|per-batch] [--slices-per-epoch N]
                                  [--recipe kit|authors|kit-no-prior] [--augment] [--data-seed S]
                                  [--protocol kit|authors] [--split patients|slices|slices-per-patient]
                                  [--init kit|pytorch] [--last-batch keep|drop] [--resume]
                  --data     a dataset in the slice layout (default: CALF_DATA, else the embedded phantom dataset)
                  --protocol kit (default, or CALF_PROTOCOL): patient-level split, best epoch, the kit's losses;
                             authors: as the CALF authors' code: 10 %% of every patient's slices for test and the
                             rest trained on, their loss conventions, CALF per batch on contour areas, authors
                             recipe, no augmentation, last epoch tested
                  --split    change the protocol's split alone: patients (the kit's: a patient's slices on one side,
                             validation patients held out), slices-per-patient (the authors': 10 %% of each patient's
                             slices for test, no validation set: the curves are drawn on training slices) or slices
                             (10 %% of all slices for test and 10 %% of the rest for validation)
                  --model    %s (the -authors ones: the CALF authors' networks)
                  --loss     %s
                             (a name with -authors: that loss in the CALF authors' conventions under any protocol)
                  --ratio    tumour-slice ratio of the training set (default: the dataset's natural ratio)
                  --recipe   kit: prior bias, warm-up + cosine learning rate, BatchNorm re-estimation, best epoch on
                             pooled validation DSC; authors: constant learning rate, none of these, PyTorch's
                             initialisation, the last partial batch kept; kit-no-prior: kit without the prior bias
                  --init     change the recipe's start alone: kit (Xavier, biases 0) or pytorch (PyTorch's layer
                             defaults: Kaiming-uniform a = sqrt(5), uniform biases)
                  --last-batch  keep or drop an epoch's last partial batch (keep: authors recipe only)
                  --extensions  while validation DSC still rises at the last epoch, train another cycle of
                             ceil(N/3) epochs replaying the schedule's last ones, at most K times (quick: 20;
                             0, or N < 4: exactly N epochs)
                  --seed     the training seed (initialisation, shuffling); --data-seed: the split and sampler's
                  defaults come from CALF_SCALE (quick: kit recipe, lr 3e-3 (U-Net 6e-3, FPN 1.5e-3), 16 epochs
                  (FPN 12) of 256 slices; full: the paper's authors recipe, lr 1e-5, batch 32, 20 epochs,
                  seed 12345)
                  --resume   continue the run in RUNDIR after its last finished epoch (starts it when RUNDIR holds
                             none; does nothing when it is finished)""".formatted(
                String.join(", ", calfkit.model.Models.NAMES), Losses.names());
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--data", "--model", "--loss", "--out", "--ratio", "--epochs", "--extensions",
                "--batch", "--seed", "--lr", "--size", "--scope", "--slices-per-epoch", "--recipe", "--data-seed",
                "--protocol", "--split", "--init", "--last-batch"), Set.of("--resume", "--augment", "--no-augment"));
        Scale scale = Scale.fromEnvironment();
        TrainConfigBuilder b;
        try {
            Protocol protocol = a.get("--protocol", null) != null ? Protocol.parse(a.get("--protocol", null), "--protocol")
                    : Protocol.fromEnvironment();
            b = TrainConfig.forScale(scale, protocol, a.require("--model"), a.require("--loss")).toBuilder();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TrainConfig defaults = b.build();
        String size = a.get("--size", defaults.size().name()).toUpperCase(Locale.ROOT);
        try {
            b.size(Models.Size.valueOf(size));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--size expects quick or paper, got '" + size.toLowerCase(Locale.ROOT) + "'");
        }
        String scope = a.get("--scope", defaults.scope() == BranchScope.PER_BATCH ? "per-batch" : "dataset");
        if (!scope.equals("dataset") && !scope.equals("per-batch")) {
            throw new UsageException("--scope expects dataset or per-batch, got '" + scope + "'");
        }
        Recipe recipe;
        RunData.SplitUnit split;
        Initialisation init;
        String lastBatch = a.get("--last-batch", null);
        try {
            recipe = Recipe.parse(a.get("--recipe", defaults.effectiveRecipe().label()));
            split = RunData.SplitUnit.parse(a.get("--split", defaults.splitUnit().label()), "--split");
            init = Initialisation.parse(a.get("--init", recipe.initialisation().label()), "--init");
            if (lastBatch != null && !lastBatch.equals("keep") && !lastBatch.equals("drop")) {
                throw new IllegalArgumentException("--last-batch expects keep or drop, got '" + lastBatch + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (a.flag("--augment") && a.flag("--no-augment")) {
            throw new UsageException("--augment and --no-augment contradict each other");
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument(s) " + a.positional() + ": calf train takes options only");
        }
        double ratio = a.getDouble("--ratio", defaults.ratio());
        if (a.get("--ratio", null) != null && !(ratio >= 0 && ratio <= 1)) {
            throw new UsageException("--ratio expects a tumour-slice fraction in [0, 1], got '" + a.get("--ratio", null)
                    + "' (leave it out for the dataset's natural ratio)");
        }
        b.ratio(ratio).epochs(a.getInt("--epochs", defaults.epochs()))
                .extensions(a.getInt("--extensions", defaults.extensions()))
                .batch(a.getInt("--batch", defaults.batch())).seed(a.getInt("--seed", (int) defaults.seed()))
                .dataSeed((long) a.getInt("--data-seed", (int) defaults.effectiveDataSeed()))
                .learningRate(a.getDouble("--lr", defaults.learningRate()))
                .scope(scope.equals("dataset") ? BranchScope.DATASET : BranchScope.PER_BATCH)
                .slicesPerEpoch(a.getInt("--slices-per-epoch", defaults.slicesPerEpoch()))
                .recipe(recipe).split(split).init(init)
                .keepLastBatch(lastBatch == null ? recipe.keepsLastBatch() : lastBatch.equals("keep"))
                .augment(a.flag("--augment") || defaults.augment() && !a.flag("--no-augment"));
        TrainConfig c;
        try {
            c = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String data = a.get("--data", null);
        SliceIndex index = data == null ? Datasets.open(Settings.fromEnvironment()) : SliceIndex.read(Path.of(data));
        Path runDir = Path.of(a.require("--out"));
        RunFolder folder = new RunFolder(runDir);
        if (a.flag("--resume") && folder.complete() && folder.config().equals(c)) {
            out.printf("%s: this run is finished (its test metrics are written); nothing to resume%n", runDir);
            return 0;
        }
        TrainingRun.Result r = TrainingRun.train(c, index, runDir, a.flag("--resume"), out);
        Convergence conv = Convergence.of(r.epochs(), c.effectiveRecipe());
        out.printf("%s: %s; best epoch %d%n", runDir, conv.verdict(), conv.bestEpoch());
        return 0;
    }
}
