/**
 * Stage 7, the report: tables beside the paper's ({@link calfkit.report.PaperTables}, {@link
 * calfkit.report.Published}), charts ({@link calfkit.report.Charts}, XChart), figures of slices and the HTML
 * rendering of numbers ({@link calfkit.report.Render}).
 *
 * <p>May use: every package but cli.
 */
package calfkit.report;
