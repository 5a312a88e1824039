package meshlog.kafkaembedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a broker's data directory, taken before anything in it is touched: a second broker on the
 * same directory (say {@code meshlog audit --data-dir} beside a running {@code meshlog up}) must be refused before
 * it writes a byte, not by Kafka's own lock after it has already joined the metadata quorum.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the directory when another process (or broker) holds it */
    static DataDirLock acquire(Path dataDir) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dataDir.resolve("meshlog.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir);
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw inUse(dataDir);
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock Kafka data dir " + dataDir, e);
        } catch (IllegalStateException e) {
            close(channel);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dataDir) {
        return new IllegalStateException("Kafka data dir " + dataDir + " is in use by another broker (is meshlog up"
                + " running on it?)");
    }

    private static void close(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing was locked
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
