package dev.barge.test;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Looks at a local driver's directories from outside, while a migration may be writing to them. */
public final class LocalObjects {
    private LocalObjects() {}

    /**
     * The objects under a directory: files, less Barge's own ({@code .barge*}); files renamed away
     * while counting (a write's temporary file) are passed over. A missing directory holds none.
     */
    public static long count(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] n = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                return d.getFileName().toString().startsWith(".barge") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (a.isRegularFile() && !f.getFileName().toString().startsWith(".barge")) {
                    n[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return n[0];
    }
}
