package dev.barge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "prod:photos/2024/       | prod  | photos | 2024/",
            "prod:photos             | prod  | photos | ''",
            "prod:                   | prod  | ''     | ''",
            "my_remote-2.eu:b/a b+c  | my_remote-2.eu | b | a b+c",
            "s3://bucket/prefix/x    | s3    | bucket | prefix/x",
            "S3://bucket             | s3    | bucket | ''",
            "oss://logs/2024/01      | oss   | logs   | 2024/01",
            "qiniu://media/v/1.mp4   | qiniu | media  | v/1.mp4",
            "file:///data/photos/x   | file  | data   | photos/x",
            "file:///tmp             | file  | tmp    | ''",
            "prod:b/%20literal#frag?q| prod  | b      | %20literal#frag?q",
    })
    void parses(String text, String remote, String bucket, String path) {
        Location location = Location.parse(text);
        assertThat(location).isEqualTo(new Location(remote, bucket, path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "photos/2024", "/abs/path", "ftp://host/x", "file://host/x", "prod:/bucket",
            "s3:///key-without-bucket", ":nobody"})
    void refusesMalformedLocationsNamingTheInputAndTheValidForms(String text) {
        StorageException e = catchThrowableOfType(StorageException.class, () -> Location.parse(text));
        assertThat(e).as(text).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("'" + text + "'").contains("remote:bucket/prefix").contains("s3://");
    }
}
