/**
 * Stage 4, the networks: {@link calfkit.model.UNet}, {@link calfkit.model.DeepLabV3} and {@link calfkit.model.Fpn} on
 * a ResNet backbone, in a quick and a paper size ({@link calfkit.model.Models}), each a {@link
 * calfkit.model.SegmentationBlock} with one logit channel.
 *
 * <p>May use: DJL.
 */
package calfkit.model;
