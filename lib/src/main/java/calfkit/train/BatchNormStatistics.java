package calfkit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * Re-estimates BatchNorm's running statistics for the current weights, the idea of PyTorch's
 * {@code torch.optim.swa_utils.update_bn}: every running mean and variance is set to zero, the model runs forward
 * in training mode (no update of the weights) over {@code K} batches, and the exponential averages this leaves are
 * divided by their total weight 1 − m^K. The result is the average of the K batches' means and (unbiased)
 * variances with weights ∝ m^(K−k) ({@code update_bn} weighs them equally, with a cumulative average that DJL's
 * fixed momentum does not offer), with nothing left of the statistics that training had accumulated while the
 * weights moved.
 *
 * <p>DJL's BatchNorm updates {@code running ← m · running + (1 − m) · batch} with m = {@value #MOMENTUM}, its
 * default, which every BatchNorm of the kit's models uses. Dropout stays active during the passes, as in
 * training.
 */
public final class BatchNormStatistics {

    /** DJL's BatchNorm momentum (its default; the kit's layers do not change it). */
    static final double MOMENTUM = 0.9;

    private BatchNormStatistics() {
    }

    /**
     * Re-estimates every BatchNorm of {@code block} from {@code batches} inputs.
     *
     * @param manager where each pass's arrays live (a sub-manager is opened and closed per batch)
     * @param batches how many batches to run
     * @param input   the k-th batch's input (0-based), created on the given manager
     * @return the number of running-statistics arrays re-estimated (0: the model has no BatchNorm)
     */
    public static int reestimate(Block block, NDManager manager, int batches, BiFunction<NDManager, Integer, NDArray> input) {
        if (batches < 1) {
            throw new IllegalArgumentException("BatchNorm re-estimation needs at least one batch, got " + batches);
        }
        List<NDArray> running = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                running.add(p.getValue().getArray());
            }
        }
        if (running.isEmpty()) {
            return 0;
        }
        running.forEach(a -> a.muli(0));
        for (int k = 0; k < batches; k++) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = input.apply(sub, k);
                block.forward(new ParameterStore(sub, false), new NDList(x), true);
            }
        }
        float scale = (float) (1 / (1 - Math.pow(MOMENTUM, batches)));
        running.forEach(a -> a.muli(scale));
        return running.size();
    }

    /** As {@link #reestimate(Block, NDManager, int, BiFunction)}, from inputs that already exist. */
    static int reestimate(Block block, NDManager manager, List<NDArray> inputs) {
        return reestimate(block, manager, inputs.size(), (m, k) -> inputs.get(k));
    }
}
