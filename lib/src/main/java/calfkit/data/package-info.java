/**
 * Stage 1 of the pipeline, the data: the slice layout (an {@code index.csv} of image/mask PNG pairs with their
 * tumour areas: {@link calfkit.data.SliceIndex}, {@link calfkit.data.Slice}), the patient split ({@link
 * calfkit.data.PatientSplit}), the tumour-ratio sampler ({@link calfkit.data.TumourRatioSampler}), the epoch order
 * with stratified batches ({@link calfkit.data.EpochSampler}), augmentation ({@link calfkit.data.Augment}) and the
 * DJL dataset the trainer iterates ({@link calfkit.data.SliceDataset}). Sub-packages: {@code phantom} generates
 * the synthetic dataset, {@code convert} slices NIfTI volumes into this layout, {@code source} says which dataset a
 * session opens.
 *
 * <p>May use: config, image, io, DJL.
 */
package calfkit.data;
