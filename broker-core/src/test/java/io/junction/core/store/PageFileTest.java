package io.junction.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PageFileTest {

    /** Page files roll at 16MB; bodies of up to 96KB reach it quickly and exercise entries larger than the read buffer. */
    private static final int FILE_SIZE = 16 * 1024 * 1024;

    @TempDir
    Path root;

    private Path directory() {
        return root.resolve("queue-1");
    }

    private static int bodySize(long id) {
        return id % 10 == 0 ? 96 * 1024 : 24 * 1024 + (int) (id % 5) * 1000;
    }

    private List<Path> pageFiles() throws IOException {
        if (!Files.exists(directory())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory())) {
            return files.sorted().toList();
        }
    }

    private long bytesOnDisk() throws IOException {
        long total = 0;
        for (Path file : pageFiles()) {
            total += Files.size(file);
        }
        return total;
    }

    private static void assertMessage(PageFile.Paged paged, long id) {
        assertThat(paged).as("message %d", id).isNotNull();
        assertThat(paged.message().brokerId()).isEqualTo(id);
        assertThat(StoreFixtures.describe(paged.message()))
                .isEqualTo(StoreFixtures.describe(StoreFixtures.message(id, bodySize(id))));
    }

    @Test
    void readsBackInOrderAcrossSeveralFilesAndDeletesEachOnceRead() throws IOException {
        try (PageFile page = new PageFile(directory())) {
            long id = 0;
            while (pageFiles().size() < 3) {
                id++;
                page.append(StoreFixtures.message(id, bodySize(id)), id % 3 == 0);
                assertThat(page.diskBytes()).isEqualTo(bytesOnDisk());
            }
            long written = id;
            assertThat(page.count()).isEqualTo(written);
            assertThat(bytesOnDisk()).isGreaterThan(2L * FILE_SIZE);
            Path first = pageFiles().get(0);

            for (long expected = 1; expected <= written; expected++) {
                PageFile.Paged paged = page.next();
                assertMessage(paged, expected);
                assertThat(paged.redelivered()).isEqualTo(expected % 3 == 0);
                assertThat(page.count()).isEqualTo(written - expected);
                assertThat(page.diskBytes()).isEqualTo(bytesOnDisk());
            }

            assertThat(first).doesNotExist();
            assertThat(directory()).as("drained, nothing is left on disk").doesNotExist();
            assertThat(page.diskBytes()).isZero();
            assertThat(page.isEmpty()).isTrue();
            assertThat(page.next()).isNull();

            page.append(StoreFixtures.message(written + 1, 100), false);
            assertThat(pageFiles()).hasSize(1);
            PageFile.Paged again = page.next();
            assertThat(again.message().brokerId()).isEqualTo(written + 1);
        }
        assertThat(directory()).doesNotExist();
    }

    @Test
    void interleavedAppendsAndReadsKeepArrivalOrder() throws IOException {
        Random random = new Random(7);
        ArrayDeque<Long> expected = new ArrayDeque<>();
        Set<Path> filesSeen = new HashSet<>();
        long nextId = 1;
        try (PageFile page = new PageFile(directory())) {
            for (int step = 0; step < 1500; step++) {
                if (random.nextInt(5) < 3) {
                    page.append(StoreFixtures.message(nextId, bodySize(nextId)), false);
                    expected.addLast(nextId++);
                } else if (expected.isEmpty()) {
                    assertThat(page.next()).isNull();
                } else {
                    assertMessage(page.next(), expected.removeFirst());
                }
                assertThat(page.count()).isEqualTo(expected.size());
                assertThat(page.isEmpty()).isEqualTo(expected.isEmpty());
                filesSeen.addAll(pageFiles());
            }
            assertThat(filesSeen).as("the test wrote enough to roll").hasSizeGreaterThan(1);
            while (!expected.isEmpty()) {
                assertMessage(page.next(), expected.removeFirst());
            }
            assertThat(page.next()).isNull();
            assertThat(page.diskBytes()).isEqualTo(bytesOnDisk());
        }
    }

    @Test
    void emptyPageFileHasNothing() throws IOException {
        try (PageFile page = new PageFile(directory())) {
            assertThat(page.isEmpty()).isTrue();
            assertThat(page.count()).isZero();
            assertThat(page.diskBytes()).isZero();
            assertThat(page.next()).isNull();
            assertThat(directory()).doesNotExist();
        }
    }

    @Test
    void closeDeletesEveryFileAndTheDirectory() throws IOException {
        PageFile page = new PageFile(directory());
        for (long id = 1; id <= 800; id++) {
            page.append(StoreFixtures.message(id, bodySize(id)), false);
        }
        page.next();
        assertThat(pageFiles()).hasSizeGreaterThan(1);

        page.close();

        assertThat(directory()).doesNotExist();
        assertThat(page.count()).isZero();
        assertThat(page.diskBytes()).isZero();
    }

    @Test
    void clearRemovesWhatAnEarlierRunLeftButKeepsTheRoot() throws IOException {
        Files.createDirectories(root.resolve("a/nested"));
        Files.write(root.resolve("a/page-0000000000.dat"), new byte[] {1, 2, 3});
        Files.write(root.resolve("a/nested/x"), new byte[] {4});
        Files.createDirectories(root.resolve("b"));

        PageFile.clear(root);

        assertThat(root).isEmptyDirectory();
    }

    @Test
    void clearOfAMissingRootDoesNothing() throws IOException {
        PageFile.clear(root.resolve("absent"));

        assertThat(root.resolve("absent")).doesNotExist();
    }
}
