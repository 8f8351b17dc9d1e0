package calfkit.image.png;

import java.io.IOException;
import java.nio.file.Path;

/** A PNG file that cannot be read as what the kit expects; the message names the file and what was expected. */
public class PngFormatException extends IOException {
    public PngFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
