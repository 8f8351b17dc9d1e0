package calfkit.loss;

import ai.djl.ndarray.NDArray;

/**
 * BCE-Dice (nnU-Net's compound loss; CALF's branch for 0 &lt; S ≤ 0.5 with K ≥ 0, and its fallback):
 * <pre>
 *   L_BCE-Dice = BCE + (1 − (2·Σ y·p + ε)/(Σ y + Σ p + ε))
 * </pre>
 * The paper's Table 2 writes L_Dice with a minus sign and then adds 1 − L_Dice; the kit reads it as BCE plus
 * the Dice <em>loss</em> 1 − Dice, which is what the formula means and what the authors' code computes
 * ({@code _bce_dice_loss} in {@code scripts/conditionally_adaptive_loss_pytorch.py}).
 * BCE from logits ({@link BceLoss}); Dice over the whole batch ({@link DiceLoss}) with ε = 1 in the kit's
 * default, ε = 1e-7 in numerator and denominator in {@link #authors()}, as the authors' code. Their BCE is
 * {@code F.binary_cross_entropy} on float32 probabilities, which saturate to exactly 0 or 1 beyond |logit| ≈ 17
 * (the loss of such a pixel is then capped at 100 and passes no gradient); the kit computes the exact BCE of
 * the logits in both. Empty target and empty prediction: BCE ≈ 0 and Dice loss ≈ 0.
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

    /** The authors' BCE-Dice: Dice over the whole batch with 1e-7 in numerator and denominator. */
    public static BceDiceLoss authors() {
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
