package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@link JournalFiles} that forwards every operation to another, for decorators in tests and
 * benchmarks that inject faults or delays and override only what they change.
 */
public class ForwardingJournalFiles implements JournalFiles {

    private final JournalFiles delegate;

    public ForwardingJournalFiles(JournalFiles delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Called with each segment {@link #open} and {@link #create} get from the delegate; returns it unchanged. */
    protected SegmentFile wrap(Path path, SegmentFile file) {
        return file;
    }

    @Override
    public SegmentFile open(Path path) throws IOException {
        return wrap(path, delegate.open(path));
    }

    @Override
    public SegmentFile create(Path path, long size) throws IOException {
        return wrap(path, delegate.create(path, size));
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        delegate.move(from, to);
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public long usableSpace(Path directory) throws IOException {
        return delegate.usableSpace(directory);
    }
}
