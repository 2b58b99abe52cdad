package io.spdyconnector.protocol.session;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy session reuses its batch's arrays and its views of the arena from one write to the next:
 * each batch must still carry exactly its own bytes, and a written batch must not keep the writers'
 * buffers alive.
 */
class OutputBatchReuseTest {

    private static String text(ByteBuffer[] buffers) {
        StringBuilder s = new StringBuilder();
        for (ByteBuffer b : buffers) {
            s.append(StandardCharsets.US_ASCII.decode(b.duplicate()));
        }
        return s.toString();
    }

    private static void arena(OutputBatch batch, String ascii) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        batch.arena().ensure(bytes.length);
        batch.arena().putBytes(bytes, 0, bytes.length);
    }

    private static ByteBuffer payload(String ascii) {
        return ByteBuffer.wrap(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void consecutiveBatchesCarryTheirOwnBytes() {
        OutputBatch batch = new OutputBatch();
        List<String> written = new ArrayList<>();
        List<ByteBuffer> firstViews = new ArrayList<>();
        for (String round : List.of("a", "b", "c")) {
            arena(batch, "H1" + round);
            batch.addPayload(payload("data-" + round));
            arena(batch, "H2" + round);
            batch.addPayload(payload("more-" + round));
            arena(batch, "tail-" + round);
            written.add(text(batch.buffers()));
            firstViews.add(batch.buffers()[0]);
            batch.reset(false);
        }
        assertThat(written).containsExactly("H1adata-aH2amore-atail-a", "H1bdata-bH2bmore-btail-b",
                "H1cdata-cH2cmore-ctail-c");
        // One view of the arena serves the first run of every batch: no allocation per frame.
        assertThat(firstViews.get(1)).isSameAs(firstViews.get(0));
        assertThat(firstViews.get(2)).isSameAs(firstViews.get(0));
    }

    @Test
    void viewsTakenBeforeTheArenaGrowsKeepTheirBytes() {
        OutputBatch batch = new OutputBatch();
        // An earlier batch of two runs leaves two views of the arena's first array.
        arena(batch, "one");
        batch.addPayload(payload("-"));
        arena(batch, "two");
        batch.buffers();
        batch.reset(false);
        arena(batch, "first");
        batch.addPayload(payload("-payload-"));
        // Far beyond the arena's first capacity: its array is replaced while the first run is still queued.
        String large = "x".repeat(10_000);
        arena(batch, large);
        assertThat(text(batch.buffers())).isEqualTo("first-payload-" + large);
        batch.reset(false);
        arena(batch, "again");
        assertThat(text(batch.buffers())).isEqualTo("again");
    }

    @Test
    void aBatchOfManySmallFramesIsFollowedByCorrectBatches() {
        OutputBatch batch = new OutputBatch();
        StringBuilder expected = new StringBuilder();
        // More runs than the batch keeps views for: its views are let go on reset.
        for (int i = 0; i < 300; i++) {
            arena(batch, "h" + i);
            batch.addPayload(payload("p" + i));
            expected.append('h').append(i).append('p').append(i);
        }
        ByteBuffer firstView = batch.buffers()[0];
        assertThat(text(batch.buffers())).isEqualTo(expected.toString());
        batch.reset(false);
        arena(batch, "H");
        batch.addPayload(payload("P"));
        arena(batch, "T");
        assertThat(text(batch.buffers())).isEqualTo("HPT");
        // The 300 views were not kept for the next batch.
        assertThat(batch.buffers()[0]).isNotSameAs(firstView);
    }

    @Test
    void aWrittenBatchKeepsNoneOfTheWritersBuffers() {
        OutputBatch batch = new OutputBatch();
        arena(batch, "head");
        batch.addPayload(payload("the writer's bytes"));
        ByteBuffer[] handedOut = batch.buffers();
        assertThat(handedOut).hasSize(2).doesNotContainNull();
        batch.reset(false);
        assertThat(handedOut).containsOnlyNulls();
        // The transport may still ask how much is left of the batch it was handed.
        assertThat(batch.remaining()).isZero();
    }

    @Test
    void anIdleBatchLetsTheArenaGo() {
        OutputBatch batch = new OutputBatch();
        arena(batch, "head");
        batch.addPayload(payload("body"));
        ByteBuffer[] handedOut = batch.buffers();
        ByteBuffer headerView = handedOut[0];
        batch.reset(true);
        arena(batch, "next");
        ByteBuffer[] next = batch.buffers();
        assertThat(text(next)).isEqualTo("next");
        // A new arena, so a new view: the old view wraps the dropped array.
        assertThat(next[0]).isNotSameAs(headerView);
    }
}
