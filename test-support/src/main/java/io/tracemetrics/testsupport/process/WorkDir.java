package io.tracemetrics.testsupport.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A temporary directory owned by one launcher: its data, config and log files; deleted on close. */
public final class WorkDir implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkDir.class);

  private final Path path;

  private WorkDir(Path path) {
    this.path = path;
  }

  /** Creates a fresh directory under {@code java.io.tmpdir} whose name starts with {@code prefix}. */
  public static WorkDir create(String prefix) {
    return create(prefix, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Creates a fresh directory under {@code parent} whose name starts with {@code prefix}. */
  public static WorkDir create(String prefix, Path parent) {
    requireNonNull(prefix, "prefix");
    requireNonNull(parent, "parent");
    try {
      return new WorkDir(Files.createTempDirectory(parent, prefix + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory under " + parent, e);
    }
  }

  public Path path() {
    return path;
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  /** Writes {@code content} to {@code name} in this directory and returns the file. */
  public Path write(String name, String content) {
    Path file = path.resolve(name);
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Deletes the directory and everything in it; a failure is logged, not thrown, so close never masks. */
  @Override
  public void close() {
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // the child removed it while exiting
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      LOG.warn("Cannot delete {}", path, e);
    }
  }
}
