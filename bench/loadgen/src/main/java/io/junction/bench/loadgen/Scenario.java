package io.junction.bench.loadgen;

import io.junction.bench.Progress;

/** One load scenario against one broker: runs on its own to its message and time bounds and says what happened. */
interface Scenario {

    ResultLine run(Target target, Progress progress) throws Exception;
}
