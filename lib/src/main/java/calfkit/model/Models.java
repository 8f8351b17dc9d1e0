package calfkit.model;

import java.util.List;
import java.util.Locale;

import ai.djl.nn.Block;

/**
 * The kit's architectures by name, each in two sizes: {@link Size#QUICK}, which trains on 2 CPU cores within
 * the notebook budget, and {@link Size#PAPER}, the published architecture (trained from scratch: no
 * pretrained weights can be downloaded here).
 *
 * <p>The quick sizes are made for the quick phantom's 48×48 slices, whose smallest tumours cover a few pixels:
 * the paper's FPN predicts at stride 4 (12×12 here) and, at that size, found fewer than half of the test tumour
 * pixels with every loss (pooled sensitivity 0.27–0.72, test DSC 0.47–0.76 between seeds, measured on the quick
 * phantom at ratio 0.1 with BCE); without the stem's pooling it predicts at stride 2 and reached test DSC
 * 0.83–0.85 on the same runs, at about the same cost with one block per stage instead of two (1.5 s per quick
 * epoch against 1.7 s). Quick DeepLabV3 runs at output stride 8 for the same reason. The quick U-Net is 16 wide:
 * at width 8 one seed in three (12345) stopped at validation DSC 0.88–0.89 from its second epoch on while the
 * others reached 0.93–0.96 (test DSC 0.8951 against 0.9556 and 0.9316 with BCE), at width 12 too (0.9095 against
 * 0.9762); at width 16 the seeds agree within 0.03 (docs/convergence.md), at twice the cost of an epoch. The
 * quick FPN has no Dropout before its classifier (the paper-sized one keeps smp's 0.2): at ratio 0.1 the
 * overlap losses, started at probability 0.1 ({@code RegionLoss.startingProbability}), spread over seeds
 * 12345, 2–4 with a test-DSC sd of 0.038 (Dice), 0.057 (IoU) and 0.058 (Tversky) with it and 0.015, 0.029 and
 * 0.026 without (0.009, 0.022, 0.030 on seeds 5–8); for BCE, Focal and CALF the difference stayed within the
 * seeds' noise (Focal at ratio 0.1: sd 0.022 → 0.010 on seeds 12345, 2–4, 0.015 → 0.024 on seeds 5–8; BCE at
 * ratio 0.409: 0.012 → 0.022, then 0.015 → 0.012). The quick DeepLabV3 keeps its 0.1 (without it, BCE at ratio
 * 0.409 fell from 0.825 to 0.809 over 4 seeds and Focal's sd stayed at 0.04).
 *
 * <table>
 *   <caption>sizes</caption>
 *   <tr><th>name</th><th>quick</th><th>paper</th></tr>
 *   <tr><td>unet</td><td>depth 3, width 16</td><td>depth 4, width 64</td></tr>
 *   <tr><td>deeplabv3, deeplabv3plus</td><td>ResNet [1,1,1,1] width 8, OS 8, ASPP 32</td>
 *       <td>ResNet-50 [3,4,6,3] width 64, OS 16, ASPP 256</td></tr>
 *   <tr><td>fpn</td><td>ResNet [1,1,1,1] width 8 without the stem's pooling (stride 2), pyramid 32,
 *       segmentation 16, no Dropout</td>
 *       <td>ResNet [2,2,2,2] width 64, pyramid 256, segmentation 128, Dropout 0.2</td></tr>
 *   <tr><td>unet-authors</td><td>depth 3, width 16</td><td>depth 4, width 64</td></tr>
 *   <tr><td>deeplabv3-authors</td><td>plain [1,1,1,1] width 8, ASPP 32 (output stride 32: 2×2 at 48²)</td>
 *       <td>plain [3,4,6,3] width 64, ASPP 256</td></tr>
 *   <tr><td>fpn-authors</td><td>ResNet [1,1,1,1] width 8, pyramid 32</td><td>ResNet [2,2,2,2] width 64,
 *       pyramid 256</td></tr>
 * </table>
 * The {@code -authors} variants are the CALF authors' released architectures (docs/protocols.md); at the
 * quick size they keep the authors' strides, which the 48×48 phantom's small tumours do not survive well.
 */
public final class Models {

    /** Model sizes. */
    public enum Size { QUICK, PAPER }

    /** The registry of architectures: each with its name, the label the paper's tables print, and its sizes. */
    public enum Architecture {
        UNET("unet", "U-Net", 16, 6e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new UNet(3, 16) : new UNet(4, 64);
            }
        },
        DEEPLABV3("deeplabv3", "DeepLabV3", 16, 3e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new DeepLabV3(new int[] {1, 1, 1, 1}, 8, 8, 32, false)
                        : new DeepLabV3(new int[] {3, 4, 6, 3}, 64, 16, 256, false);
            }
        },
        DEEPLABV3PLUS("deeplabv3plus", "DeepLabV3+", 16, 3e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new DeepLabV3(new int[] {1, 1, 1, 1}, 8, 8, 32, true)
                        : new DeepLabV3(new int[] {3, 4, 6, 3}, 64, 16, 256, true);
            }
        },
        FPN("fpn", "FPN", 12, 1.5e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new Fpn(new int[] {1, 1, 1, 1}, 8, 32, 16, false, 0f)
                        : new Fpn(new int[] {2, 2, 2, 2}, 64, 256, 128, true, 0.2f);
            }
        },
        /** The CALF authors' U-Net: transposed-convolution upsampling, convolution biases ({@link UNet}). */
        UNET_AUTHORS("unet-authors", "U-Net (authors')", 16, 6e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new UNet(3, 16, true) : new UNet(4, 64, true);
            }
        },
        /** The network the authors' code trains as Deeplabv3Plus ({@link AuthorsDeepLab}). */
        DEEPLABV3_AUTHORS("deeplabv3-authors", "DeepLabV3 (authors')", 16, 3e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new AuthorsDeepLab(new int[] {1, 1, 1, 1}, 8, 32)
                        : new AuthorsDeepLab(new int[] {3, 4, 6, 3}, 64, 256);
            }
        },
        /** The authors' FPN: P2 only, one 3×3 convolution, ×4 upsampling ({@link AuthorsFpn}). */
        FPN_AUTHORS("fpn-authors", "FPN (authors')", 12, 1.5e-3) {
            @Override
            Block create(Size size) {
                return size == Size.QUICK ? new AuthorsFpn(new int[] {1, 1, 1, 1}, 8, 32)
                        : new AuthorsFpn(new int[] {2, 2, 2, 2}, 64, 256);
            }
        };

        private final String id;
        private final String label;
        private final int quickEpochs;
        private final double quickLearningRate;

        /**
         * @param quickEpochs       the quick scale's epochs (FPN 12, the others 16; why: {@code TrainConfig.forScale})
         * @param quickLearningRate the quick scale's peak learning rate (U-Net 6e-3, FPN 1.5e-3, DeepLabV3 3e-3)
         */
        Architecture(String id, String label, int quickEpochs, double quickLearningRate) {
            this.id = id;
            this.label = label;
            this.quickEpochs = quickEpochs;
            this.quickLearningRate = quickLearningRate;
        }

        /** The quick scale's epochs for this architecture. */
        public int quickEpochs() {
            return quickEpochs;
        }

        /** The quick scale's peak learning rate for this architecture. */
        public double quickLearningRate() {
            return quickLearningRate;
        }

        /** The command-line name ("unet"). */
        public String id() {
            return id;
        }

        /** The name the paper's tables print ("U-Net"). */
        public String label() {
            return label;
        }

        abstract Block create(Size size);
    }

    /** The architectures' names. */
    public static final List<String> NAMES = java.util.Arrays.stream(Architecture.values()).map(Architecture::id).toList();

    private Models() {
    }

    /**
     * A new, uninitialised model: 1-channel image in, 1-channel logits out, same height and width.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Block create(String name, Size size) {
        return architecture(name).create(size);
    }

    /**
     * The architecture of a name, however written ("U-Net", "unet", "DeepLabV3+").
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Architecture architecture(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown model '" + name
                + "'; expected one of " + String.join(", ", NAMES)));
    }

    private static java.util.Optional<Architecture> find(String name) {
        String n = normalise(name);
        return java.util.Arrays.stream(Architecture.values()).filter(a -> a.id().equals(n)).findFirst();
    }

    /** The canonical name ("U-Net" → "unet", "DeepLabV3+" → "deeplabv3plus", "FPN_authors" → "fpn-authors"). */
    public static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace(" (authors')", "-authors").replace("_", "-")
                .replace("+", "plus");
        String suffix = n.endsWith("-authors") ? "-authors" : "";
        return n.substring(0, n.length() - suffix.length()).replace("-", "") + suffix;
    }

    /** The name used in the paper's tables (a name the registry does not know is returned as it is). */
    public static String label(String name) {
        return find(name).map(Architecture::label).orElse(name);
    }
}
