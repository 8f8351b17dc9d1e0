/**
 * Benchmarks that print the kit's figure next to a peer measured in the same run ({@code
 * environment/benchmarks/run.sh}), in a module of their own (environment/benchmarks/pom.xml): the library jar
 * does not carry them.
 *
 * <p>May use: every package but cli.
 */
package calfkit.bench;
