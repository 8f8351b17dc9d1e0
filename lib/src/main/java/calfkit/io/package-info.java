/**
 * Files the user keeps: {@link calfkit.io.AtomicFiles} writes every result, cache and checkpoint file through a
 * temporary sibling and an atomic move, so an interrupted write never leaves half a file, and describes I/O
 * errors in one way for the CLI and the run folders.
 *
 * <p>May use: the JDK only.
 */
package calfkit.io;
