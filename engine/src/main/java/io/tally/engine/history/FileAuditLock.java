package io.tally.engine.history;

import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An audit lock as an operating-system lock on {@code .tally-audit-<job>.lock} in the history directory. The file
 * says who holds it (process, host, start); the lock, not the file, is what counts, so a file left by a crashed
 * audit holds nothing.
 */
final class FileAuditLock implements AuditLock {

    private final FileChannel channel;
    private final FileLock lock;

    private FileAuditLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static AuditLock take(Path dir, String job) {
        Path file = dir.resolve(".tally-audit-" + job.replaceAll("[^A-Za-z0-9_.-]", "_") + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                return AuditLock.held((holder.isEmpty() ? "another process" : holder) + " (lock " + file + ")");
            }
            String me = ProcessHandle.current().pid() + "@" + java.net.InetAddress.getLocalHost().getHostName()
                    + " since " + java.time.Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new FileAuditLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was locked
                }
            }
            throw new TallyError("cannot take the audit lock " + file + ": " + e.getMessage() + "; set history.path "
                    + "to a writable directory", e);
        }
    }

    @Override
    public boolean acquired() {
        return true;
    }

    @Override
    public String heldBy() {
        return null;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
