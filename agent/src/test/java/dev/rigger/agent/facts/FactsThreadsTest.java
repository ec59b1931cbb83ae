package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FactsThreadsTest {

    @Test
    void resultsComeBackInInputOrderWhateverLaneComputedThem() {
        List<Integer> inputs = IntStream.range(0, 23).boxed().toList();
        assertThat(FactsThreads.inLanes(inputs, i -> i * i)).containsExactlyElementsOf(inputs.stream().map(i -> i * i).toList());
        assertThat(FactsThreads.inLanes(List.<Integer>of(), i -> i)).isEmpty();
    }

    @Test
    void lanesRunSideBySideOnDaemonThreadsAndTheCaller() throws Exception {
        // every lane waits until all lanes have started: this only finishes if they really run at once
        CountDownLatch allStarted = new CountDownLatch(FactsThreads.MAX_LANES);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Boolean> met = FactsThreads.inLanes(IntStream.range(0, FactsThreads.MAX_LANES).boxed().toList(), i -> {
            threads.add(Thread.currentThread());
            allStarted.countDown();
            try {
                return allStarted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(met).containsOnly(true);
        assertThat(threads).hasSize(FactsThreads.MAX_LANES).contains(Thread.currentThread());
        assertThat(threads.stream().filter(t -> t != Thread.currentThread())).allMatch(Thread::isDaemon);
    }
}
