package dev.barge.storage.local;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.RemoteConfig;
import dev.barge.test.TempDirs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * The local driver with {@code options.metadata: none}: plain files only. Its capabilities say what
 * it cannot keep where the contract has a flag for it (only STANDARD is offered, no checksum is
 * claimed), and the suite skips those checks itself. Content type and user metadata have no flag:
 * the checks below, which read them back, are left out here, and {@code LocalMetadataTest} tests
 * that this mode drops them and writes nothing but the data.
 */
@ExtendWith(LocalPlainContractTest.KeepsNoHeaders.class)
final class LocalPlainContractTest extends ObjectStoreContract {
    private Path root;

    /** The contract's checks that read a content type or user metadata back, and why each is left out. */
    static final Map<String, String> LEFT_OUT = Map.of(
            "contentTypeAndUserMetadataRoundTrip", "reads back the content type and user metadata",
            "copiesWithinAndAcrossBucketsKeepingMetadata", "reads back the copied content type",
            "copyCanReplaceMetadata", "reads back the replaced content type",
            "copyOfAListedSourceKeepsMetadataAndReportsTheCopiedContent", "reads back the copied content type",
            "multipartAssemblesPartsUploadedOutOfOrder", "reads back the multipart upload's content type");

    @Override
    protected ObjectStore createStore() throws Exception {
        root = TempDirs.create("barge-contract-plain-");
        return new LocalStoreProvider().open(RemoteConfig.local("local", root).withOption("metadata", "none"));
    }

    @Override
    protected void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(root);
    }

    /** Leaves out exactly the checks in {@link #LEFT_OUT}, reporting each as skipped with its reason. */
    static final class KeepsNoHeaders implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = context.getTestMethod().map(Method::getName).map(LEFT_OUT::get).orElse(null);
            return reason == null ? ConditionEvaluationResult.enabled("keeps what this test reads")
                    : ConditionEvaluationResult.disabled("options.metadata: none keeps no content type or user"
                            + " metadata, and this test " + reason);
        }
    }
}
