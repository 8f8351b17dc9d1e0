/**
 * The {@code calf} command line: one class per command ({@code train}, {@code eval}, {@code stats}, {@code index},
 * {@code convert}, {@code synth}, {@code convergence}, {@code info}), dispatched by {@link calfkit.cli.Calf}.
 *
 * <p>May use: every package.
 */
package calfkit.cli;
