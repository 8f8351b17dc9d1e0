package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * BCE-Dice (nnU-Net's compound loss; CALF's branch for 0 &lt; S ≤ 0.5 with K ≥ 0, and its fallback):
 * <pre>
 *   L_BCE-Dice = BCE + (1 − Dice),   Dice = (2·Σ y·p + ε_nr)/(Σ y + Σ p + ε_dr)
 * </pre>
 * The paper's Table 2 writes L_Dice with a minus sign and then adds 1 − L_Dice; the kit reads it as BCE plus
 * the Dice <em>loss</em> 1 − Dice, which is what the formula means and what the authors' code computes.
 * BCE from logits ({@link BceLoss}, mean over pixels); the Dice term is a {@link DiceLoss} in one of three forms:
 * <ul>
 *   <li>the kit's default: Dice over the whole batch, ε_nr = ε_dr = 1 (an empty batch predicted empty: Dice loss 0);</li>
 *   <li>{@link #authors()}: the comparison loss of the authors' tables, {@code ComboLoss} in their
 *       {@code scripts/loss_functions.py} (the {@code combo} loss of {@code run_training.py}, "Combo" in their
 *       {@code Results.xlsx}): {@code BCEWithLogits} plus their {@code DiceLoss}, per image, ε_nr = 0, ε_dr = 1e-5,
 *       mean over images ({@link DiceLoss#authors()}): a tumour-free slice's Dice is 0 whatever is predicted, so its
 *       Dice term is 1 and passes no gradient;</li>
 *   <li>{@link #authorsCalfBranch()}: CALF's own BCE-Dice branch in their code ({@code _bce_dice_loss} in
 *       {@code scripts/conditionally_adaptive_loss_pytorch.py}): Dice over the whole batch, ε_nr = ε_dr = 1e-7.
 *       Their BCE there is {@code F.binary_cross_entropy} on float32 probabilities, which round to exactly 1 beyond
 *       logit ≈ 16.7 (σ(16.7) = 1 in float32; towards 0 only below about −88, where float32 underflows), and the
 *       loss of such a pixel is then capped at 100 and passes no gradient; the kit computes the exact BCE of the
 *       logits.</li>
 * </ul>
 * Empty target and empty prediction: BCE ≈ 0; Dice loss ≈ 0 in the kit's form and CALF's branch, 1 in ComboLoss.
 */
public final class BceDiceLoss extends SegmentationLoss {

    private final BceLoss bce = new BceLoss();
    private final DiceLoss dice;

    public BceDiceLoss() {
        this(new DiceLoss());
    }

    public BceDiceLoss(DiceLoss dice) {
        super("BCE-Dice");
        this.dice = dice;
    }

    /** The authors' comparison BCE-Dice, their {@code ComboLoss}: BCE from logits + their per-image Dice loss. */
    public static BceDiceLoss authors() {
        return new BceDiceLoss(DiceLoss.authors());
    }

    /** CALF's BCE-Dice branch in the authors' code: Dice over the whole batch with 1e-7 in numerator and denominator. */
    public static BceDiceLoss authorsCalfBranch() {
        return new BceDiceLoss(new DiceLoss(1e-7f, 1e-7f, false));
    }

    @Override
    public NDArray fromLogits(NDArray logits, NDArray target) {
        return bce.fromLogits(logits, target).add(dice.fromLogits(logits, target));
    }

    @Override
    public NDArray fromProbabilities(NDArray p, NDArray target) {
        return bce.fromProbabilities(p, target).add(dice.fromProbabilities(p, target));
    }
}
