package io.junction.core.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentLivenessTest {

    private final SegmentLiveness liveness = new SegmentLiveness();

    @Test
    void countsLiveAndDeadRecords() {
        liveness.live(1, 100);
        liveness.live(1, 50);
        liveness.dead(1, 100);

        assertThat(liveness.liveRecords(1)).isEqualTo(1);
        assertThat(liveness.liveBytes(1)).isEqualTo(50);
        assertThat(liveness.contains(1)).isTrue();
        assertThat(liveness.contains(2)).isFalse();
    }

    @Test
    void deadInAnUnknownSegmentIsIgnored() {
        liveness.dead(9, 100);

        assertThat(liveness.contains(9)).isFalse();
        assertThat(liveness.liveRecords(9)).isZero();
    }

    @Test
    void cancelIntoAnOlderSegmentIsLiveUntilThatSegmentIsDeleted() {
        liveness.live(1, 200);
        liveness.cancel(2, 1, 41);

        assertThat(liveness.liveRecords(2)).isEqualTo(1);
        assertThat(liveness.liveBytes(2)).isEqualTo(41);
        assertThat(liveness.cancelNeeded(2, 1)).isTrue();

        liveness.dead(1, 200);
        assertThat(liveness.liveRecords(2)).as("the cancelled record is still on disk").isEqualTo(1);

        liveness.deleted(1);
        assertThat(liveness.liveRecords(2)).isZero();
        assertThat(liveness.liveBytes(2)).isZero();
        assertThat(liveness.cancelNeeded(2, 1)).isFalse();
        assertThat(liveness.contains(2)).isTrue();
    }

    @Test
    void cancelIntoTheSameOrANewerSegmentIsNotCounted() {
        liveness.live(3, 100);
        liveness.live(4, 100);

        liveness.cancel(3, 3, 41);
        liveness.cancel(3, 4, 41);

        assertThat(liveness.liveRecords(3)).isEqualTo(1);
        assertThat(liveness.liveBytes(3)).isEqualTo(100);
        assertThat(liveness.cancelNeeded(3, 3)).isFalse();
        assertThat(liveness.cancelNeeded(3, 4)).isFalse();
    }

    @Test
    void cancelIntoAnAlreadyDeletedSegmentIsNotCounted() {
        liveness.live(1, 100);
        liveness.deleted(1);

        liveness.cancel(2, 1, 41);

        assertThat(liveness.contains(2)).isTrue();
        assertThat(liveness.liveRecords(2)).isZero();
        assertThat(liveness.empty(List.of(2L))).containsExactly(2L);
    }

    @Test
    void deletingFreesEveryDependentSegmentButNotOthers() {
        liveness.live(1, 100);
        liveness.live(2, 100);
        liveness.cancel(3, 1, 41);
        liveness.cancel(3, 1, 41);
        liveness.cancel(3, 2, 41);
        liveness.cancel(4, 1, 41);

        assertThat(liveness.liveRecords(3)).isEqualTo(3);

        liveness.deleted(1);

        assertThat(liveness.liveRecords(3)).isEqualTo(1);
        assertThat(liveness.liveBytes(3)).isEqualTo(41);
        assertThat(liveness.liveRecords(4)).isZero();
        assertThat(liveness.cancelNeeded(3, 2)).isTrue();
    }

    @Test
    void deletingTheCancellingSegmentFirstForgetsItsDependency() {
        liveness.live(1, 100);
        liveness.cancel(2, 1, 41);
        liveness.live(3, 10);

        liveness.deleted(2);
        liveness.deleted(1);

        assertThat(liveness.contains(2)).isFalse();
        assertThat(liveness.liveRecords(3)).isEqualTo(1);
    }

    @Test
    void emptyListsCandidatesWithNothingLive() {
        liveness.live(1, 100);
        liveness.live(2, 100);
        liveness.dead(2, 100);
        liveness.cancel(3, 1, 41);

        assertThat(liveness.empty(List.of(1L, 2L, 3L, 7L))).containsExactly(2L, 7L);
    }

    @Test
    void sparsestIsTheLeastLiveUnderTheLimit() {
        liveness.live(1, 500);
        liveness.live(2, 300);
        liveness.live(3, 100);
        liveness.live(3, 100);
        liveness.live(5, 50);

        assertThat(liveness.sparsest(List.of(1L, 2L, 3L), 1000)).isEqualTo(3);
        assertThat(liveness.sparsest(List.of(1L, 2L), 1000)).isEqualTo(2);
        assertThat(liveness.sparsest(List.of(1L, 2L, 3L), 200)).as("200 is not under 200").isEqualTo(-1);
        assertThat(liveness.sparsest(List.of(1L, 2L, 3L), 201)).isEqualTo(3);
        assertThat(liveness.sparsest(List.of(), 1000)).isEqualTo(-1);
    }
}
