package dev.barge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.StoreRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(properties = {"barge.remotes.tmp.type=local", "barge.remotes.tmp.root=${java.io.tmpdir}"})
class BargeApplicationTest {

    @Autowired
    StoreRegistry registry;

    @Test
    void theApplicationStartsWithTheConfiguredRemotes() {
        assertThat(registry.remotes()).extracting(r -> r.name()).containsExactly("tmp");
        assertThat(registry.store("tmp").capabilities().multipart()).isTrue();
    }
}
