package dev.refkit.cli;

import dev.refkit.heap.index.Storage;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Where the commands that read a dump keep its index: on the heap, or in files of a work folder. */
final class IndexOptions {

    @Option(names = "--index", paramLabel = "auto|heap|files", defaultValue = "auto", converter = ModeConverter.class,
            description = "where the dump's index goes: files for a dump larger than this JVM's heap (auto, the"
                    + " default, chooses by the dump's size), heap, or files")
    Storage.Mode mode = Storage.Mode.AUTO;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "the folder for the index files of a large dump (default: the system's temporary folder);"
                    + " removed when the command ends")
    Path workDir;

    /** Reads {@code auto}, {@code heap} or {@code files} in any case. */
    static final class ModeConverter implements ITypeConverter<Storage.Mode> {
        @Override
        public Storage.Mode convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> Storage.Mode.AUTO;
                case "heap" -> Storage.Mode.HEAP;
                case "files" -> Storage.Mode.FILES;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not auto, heap or files");
            };
        }
    }
}
