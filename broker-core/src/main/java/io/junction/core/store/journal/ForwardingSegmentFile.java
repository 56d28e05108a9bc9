package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link SegmentFile} that forwards every operation to another, for decorators in tests and
 * benchmarks that inject faults or delays and override only what they change.
 */
public class ForwardingSegmentFile implements SegmentFile {

    private final SegmentFile delegate;

    public ForwardingSegmentFile(SegmentFile delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        delegate.write(source, position);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return delegate.read(target, position);
    }

    @Override
    public void force() throws IOException {
        delegate.force();
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
