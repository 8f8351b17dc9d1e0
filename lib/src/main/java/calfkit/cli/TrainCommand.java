package calfkit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import calfkit.config.Scale;
import calfkit.config.Settings;
import calfkit.data.Datasets;
import calfkit.data.SliceIndex;
import calfkit.loss.Losses;
import calfkit.model.Models;
import calfkit.stats.BranchScope;
import calfkit.train.TrainConfig;
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
                usage: calf train --data DIR --model unet|deeplabv3|deeplabv3plus|fpn --loss NAME --out RUNDIR
                                  [--ratio R] [--epochs N] [--batch B] [--seed S] [--lr LR] [--size quick|paper]
                                  [--scope dataset|per-batch] [--max-slices N] [--no-augment] [--resume]
                  --data     a dataset in the slice layout (default: CALF_DATA, else the embedded phantom dataset)
                  --loss     %s
                  --ratio    tumour-slice ratio of the training set (default: the dataset's natural ratio)
                  defaults come from CALF_SCALE (full: the paper's lr 1e-5, batch 32, 20 epochs, seed 12345)
                  --resume   continue the run in RUNDIR after its last finished epoch""".formatted(Losses.names());
    }

    @Override
    public int run(List<String> argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("--data", "--model", "--loss", "--out", "--ratio", "--epochs", "--batch", "--seed",
                "--lr", "--size", "--scope", "--max-slices"), Set.of("--resume", "--no-augment"));
        Scale scale = Scale.fromEnvironment();
        TrainConfig c;
        try {
            c = TrainConfig.forScale(scale, a.require("--model"), a.require("--loss"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String size = a.get("--size", c.size().name()).toUpperCase(Locale.ROOT);
        try {
            c = c.withModel(c.model(), Models.Size.valueOf(size));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--size expects quick or paper, got '" + size.toLowerCase(Locale.ROOT) + "'");
        }
        String scope = a.get("--scope", "dataset");
        if (!scope.equals("dataset") && !scope.equals("per-batch")) {
            throw new UsageException("--scope expects dataset or per-batch, got '" + scope + "'");
        }
        c = c.withRatio(a.getDouble("--ratio", c.ratio())).withEpochs(a.getInt("--epochs", c.epochs()))
                .withBatch(a.getInt("--batch", c.batch())).withSeed(a.getInt("--seed", (int) c.seed()))
                .withLearningRate(a.getDouble("--lr", c.learningRate()))
                .withScope(scope.equals("dataset") ? BranchScope.DATASET : BranchScope.PER_BATCH)
                .withMaxTrainSlices(a.getInt("--max-slices", c.maxTrainSlices()));
        if (a.flag("--no-augment")) {
            c = c.withAugment(false);
        }
        String data = a.get("--data", null);
        SliceIndex index = data == null ? Datasets.open(Settings.fromEnvironment()) : SliceIndex.read(Path.of(data));
        TrainingRun.train(c, index, Path.of(a.require("--out")), a.flag("--resume"), out);
        return 0;
    }
}
