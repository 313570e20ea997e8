package dev.barge.cli;

import ch.qos.logback.core.rolling.RolloverFailure;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.helper.CompressionMode;
import ch.qos.logback.core.rolling.helper.Compressor;
import ch.qos.logback.core.rolling.helper.FileFilterUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Spring Boot's rolling policy for {@code barge.log} (logback's {@link SizeAndTimeBasedRollingPolicy}:
 * {@code barge.log.<date>.<n>.gz} at 10 MB, as configured in {@code logback-spring.xml}), with every file
 * a rollover makes readable by its owner only (0600, as {@link PrivateLogFile} makes the log itself):
 * <ul>
 *   <li>logback renames the log to the archive's name, which keeps its 0600; the archive is set 0600
 *       all the same, for a log that was not private or a rename that had to copy;</li>
 *   <li>the compressed archive is written here, into a file created 0600, where logback would compress
 *       in the background into a file created with the process umask ({@code .zip} and {@code .xz}
 *       archives are left to logback's compressor and made 0600 once written);</li>
 *   <li>the new {@code barge.log} is created 0600 before logback opens it again.</li>
 * </ul>
 * Compressing takes the logging threads' time, once per 10 MB of log. Where the file system has no
 * POSIX permissions, files are made as logback makes them.
 */
public final class PrivateRollingPolicy<E> extends SizeAndTimeBasedRollingPolicy<E> {
    private static final Set<PosixFilePermission> OWNER_ONLY = PrivateLogFile.OWNER_ONLY;
    private static final int BUFFER = 64 * 1024;

    @Override
    public void rollover() throws RolloverFailure {
        String active = getParentsRawFileProperty();
        // the archive's name without the compression suffix: what the log is renamed to
        String elapsed = getTimeBasedFileNamingAndTriggeringPolicy().getElapsedPeriodsFileName();
        if (active == null || elapsed == null) {
            // no file property (prudent mode), or no period has ended: as logback does it
            super.rollover();
            return;
        }
        Path archive = Path.of(elapsed);
        CompressionMode mode = compressionMode;
        compressionMode = CompressionMode.NONE;
        try {
            super.rollover(); // renames the log to the archive and removes archives past the history limits
        } finally {
            compressionMode = mode;
        }
        ownerOnly(archive);
        if (mode == CompressionMode.GZ) {
            gzip(archive, archive.resolveSibling(archive.getFileName() + ".gz"));
        } else if (mode != CompressionMode.NONE) {
            Compressor compressor = new Compressor(mode);
            compressor.setContext(context);
            compressor.compress(archive.toString(), archive.toString(), FileFilterUtil.afterLastSlash(archive.toString()));
            ownerOnly(archive.resolveSibling(archive.getFileName() + "." + mode.name().toLowerCase(Locale.ROOT)));
        }
        createOwnerOnly(Path.of(active));
    }

    /** Compresses {@code source} into {@code target}, a new file created 0600, and deletes the source. */
    private void gzip(Path source, Path target) {
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = new GZIPOutputStream(Channels.newOutputStream(Files.newByteChannel(target,
                        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnlyAttribute(target))),
                        BUFFER)) {
            in.transferTo(out);
        } catch (FileAlreadyExistsException e) {
            addWarn("The archive " + target + " exists already: " + source + " is left uncompressed");
            return;
        } catch (IOException e) {
            addError("Could not compress " + source + " into " + target + "; it is left uncompressed", e);
            return;
        }
        try {
            Files.delete(source);
        } catch (IOException e) {
            addWarn("Could not delete " + source + " after compressing it into " + target, e);
        }
    }

    private static FileAttribute<?>[] ownerOnlyAttribute(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private void ownerOnly(Path file) {
        if (!posix(file) || !Files.exists(file)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            addWarn("Could not make " + file + " readable by its owner only", e);
        }
    }

    /** The next log, created 0600 for logback to append to; one that exists is made 0600. */
    private void createOwnerOnly(Path file) {
        try {
            Files.createFile(file, ownerOnlyAttribute(file));
        } catch (FileAlreadyExistsException e) {
            ownerOnly(file);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            addWarn("Could not create " + file + " readable by its owner only", e);
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
