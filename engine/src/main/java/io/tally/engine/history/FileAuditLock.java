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
final class FileAuditLock {

    /**
     * Lock files this process holds. Checked before the file is even opened: closing any descriptor of a file
     * drops every lock the process holds on it, so a second open in the same process would break the first lock.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FileAuditLock() {
    }

    static AuditLock take(Path dir, String job) {
        Path file = dir.resolve(".tally-audit-" + job.replaceAll("[^A-Za-z0-9_.-]", "_") + ".lock").toAbsolutePath();
        if (!HELD.add(file)) {
            return AuditLock.held("this process (lock " + file + ")");
        }
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
                ByteBuffer text = ByteBuffer.allocate(512);
                channel.read(text, 0);
                String holder = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
                channel.close();
                HELD.remove(file);
                return AuditLock.held((holder.isEmpty() ? "another process" : holder) + " (lock " + file + ")");
            }
            String me = ProcessHandle.current().pid() + "@" + host() + " since " + java.time.Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            FileChannel held = channel;
            FileLock taken = lock;
            return AuditLock.holding(() -> release(file, held, taken));
        } catch (IOException e) {
            HELD.remove(file);
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

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static void release(Path file, FileChannel channel, FileLock lock) {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD.remove(file);
        }
    }
}
