/**
 * Benchmarks that print the kit's figure next to a peer measured in the same run ({@code
 * environment/benchmarks/run.sh}); not used by the library.
 *
 * <p>May use: every package but cli.
 */
package calfkit.bench;
