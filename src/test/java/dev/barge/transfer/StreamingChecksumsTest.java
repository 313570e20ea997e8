package dev.barge.transfer;

import static dev.barge.storage.Checksum.Algorithm.CRC64_ECMA;
import static dev.barge.storage.Checksum.Algorithm.MD5;
import static dev.barge.storage.Checksum.Algorithm.QETAG;
import static dev.barge.storage.Checksum.Algorithm.SHA256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
import dev.barge.storage.Qetag;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which algorithms a transfer computes, and that it computes exactly those. (Barge's CRC-64 and qetag
 * are checked against the vendors' SDKs in the oss and qiniu test packages.)
 */
class StreamingChecksumsTest {
    // what each driver reports (Capabilities.checksums())
    private static final Set<Checksum.Algorithm> S3 = EnumSet.of(MD5);
    private static final Set<Checksum.Algorithm> S3_NO_MD5 = EnumSet.noneOf(Checksum.Algorithm.class);
    private static final Set<Checksum.Algorithm> OSS = EnumSet.of(MD5, CRC64_ECMA);
    private static final Set<Checksum.Algorithm> QINIU = EnumSet.of(MD5, QETAG);
    private static final Set<Checksum.Algorithm> LOCAL = EnumSet.of(MD5);
    private static final Set<Checksum.Algorithm> NOTHING = EnumSet.noneOf(Checksum.Algorithm.class);

    private static Set<Checksum.Algorithm> single(Set<Checksum.Algorithm> source, Set<Checksum.Algorithm> target) {
        return StreamingChecksums.needed(source, target, false);
    }

    private static Set<Checksum.Algorithm> multipart(Set<Checksum.Algorithm> source, Set<Checksum.Algorithm> target) {
        return StreamingChecksums.needed(source, target, true);
    }

    @Test
    void oneAlgorithmBothSidesReportChecksBothEnds() {
        assertThat(single(EnumSet.of(MD5), LOCAL)).containsExactly(MD5);
        assertThat(single(EnumSet.of(MD5), S3)).containsExactly(MD5);
        assertThat(single(EnumSet.of(MD5, CRC64_ECMA), OSS)).as("OSS to OSS").containsExactly(MD5);
        assertThat(single(EnumSet.of(QETAG, MD5), QINIU)).as("Kodo to Kodo").containsExactly(MD5);
    }

    @Test
    void noMd5IsComputedWhereNeitherSideNeedsIt() {
        assertThat(single(EnumSet.of(CRC64_ECMA), OSS)).as("an OSS multipart object to OSS").containsExactly(CRC64_ECMA);
        assertThat(single(EnumSet.of(MD5, CRC64_ECMA), S3_NO_MD5)).as("OSS to an S3 without MD5 etags")
                .containsExactly(CRC64_ECMA);
        assertThat(single(EnumSet.of(QETAG), S3_NO_MD5)).containsExactly(QETAG);
        assertThat(multipart(NOTHING, OSS)).as("a foreign local file to OSS, multipart").containsExactly(CRC64_ECMA);
        assertThat(multipart(EnumSet.of(CRC64_ECMA), OSS)).containsExactly(CRC64_ECMA);
    }

    @Test
    void noCrcIsComputedForATargetThatVerifiesAnAnnouncedMd5() {
        // S3 and OSS check Content-MD5 before the object appears; an announced CRC-64 would make the OSS
        // driver hold and hash the bytes again
        assertThat(single(EnumSet.of(MD5, CRC64_ECMA), S3)).as("OSS to S3").containsExactly(MD5);
        assertThat(single(EnumSet.of(MD5), OSS)).as("S3 to OSS").containsExactly(MD5);
        assertThat(single(NOTHING, OSS)).as("a foreign local file to OSS").containsExactly(MD5);
        assertThat(single(NOTHING, S3)).as("a foreign local file to S3").containsExactly(MD5);
        assertThat(single(NOTHING, QINIU)).containsExactly(MD5);
    }

    @Test
    void sidesWithoutACommonAlgorithmGetOneEach() {
        assertThat(single(EnumSet.of(QETAG), OSS)).as("Kodo without MD5 to OSS").containsExactlyInAnyOrder(QETAG, MD5);
        assertThat(single(EnumSet.of(CRC64_ECMA), QINIU)).containsExactlyInAnyOrder(CRC64_ECMA, MD5);
        assertThat(single(EnumSet.of(CRC64_ECMA), S3)).containsExactlyInAnyOrder(CRC64_ECMA, MD5);
    }

    @Test
    void aMultipartCopyComputesTheMd5ItRecordsAndWhatTheTargetReportsAfterIt() {
        // the etag of a multipart object is no MD5: OSS reports its CRC-64, S3 nothing
        assertThat(multipart(EnumSet.of(MD5), OSS)).as("S3 to OSS").containsExactlyInAnyOrder(MD5, CRC64_ECMA);
        assertThat(multipart(EnumSet.of(MD5, CRC64_ECMA), OSS)).as("OSS to OSS")
                .containsExactlyInAnyOrder(MD5, CRC64_ECMA);
        assertThat(multipart(EnumSet.of(MD5, CRC64_ECMA), S3)).as("OSS to S3: the MD5 recorded checks the source")
                .containsExactly(MD5);
        assertThat(multipart(EnumSet.of(MD5), LOCAL)).containsExactly(MD5);
        assertThat(multipart(EnumSet.of(QETAG), QINIU)).containsExactly(QETAG);
    }

    @Test
    void somethingIsComputedWheneverEitherSideReportsAnything() {
        assertThat(single(NOTHING, S3_NO_MD5)).isEmpty();
        assertThat(multipart(NOTHING, S3_NO_MD5)).isEmpty();
        assertThat(multipart(NOTHING, LOCAL)).as("the local driver reports the MD5 of a multipart object")
                .containsExactly(MD5);
        for (Set<Checksum.Algorithm> source : List.of(NOTHING, EnumSet.of(MD5), EnumSet.of(CRC64_ECMA),
                EnumSet.of(QETAG), EnumSet.of(MD5, CRC64_ECMA), EnumSet.of(MD5, QETAG))) {
            for (Set<Checksum.Algorithm> target : List.of(S3, S3_NO_MD5, OSS, QINIU, LOCAL)) {
                for (boolean mp : new boolean[] {false, true}) {
                    Set<Checksum.Algorithm> chosen = StreamingChecksums.needed(source, target, mp);
                    if (!source.isEmpty()) {
                        assertThat(chosen).as("%s -> %s multipart %s checks the source", source, target, mp)
                                .containsAnyElementsOf(source);
                    }
                    Set<Checksum.Algorithm> after = EnumSet.noneOf(Checksum.Algorithm.class);
                    after.addAll(target);
                    if (mp) {
                        after.remove(MD5); // the etag of a multipart object is no MD5
                    }
                    if (!after.isEmpty()) {
                        assertThat(chosen).as("%s -> %s multipart %s checks the target", source, target, mp)
                                .containsAnyElementsOf(after);
                    }
                    if (source.isEmpty() && after.isEmpty() && !target.isEmpty()) {
                        assertThat(chosen).as("%s -> %s multipart %s checks something", source, target, mp)
                                .containsAnyElementsOf(target);
                    }
                    assertThat(chosen.size()).as("%s -> %s multipart %s", source, target, mp).isLessThanOrEqualTo(2);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1000, 4 << 20, (4 << 20) + 1, 9 << 20})
    void computesExactlyTheAlgorithmsAskedFor(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        StreamingChecksums all = StreamingChecksums.of(EnumSet.allOf(Checksum.Algorithm.class));
        StreamingChecksums crcOnly = StreamingChecksums.of(EnumSet.of(CRC64_ECMA));
        StreamingChecksums none = StreamingChecksums.of(NOTHING);
        for (int offset = 0; offset < size; ) {
            int n = Math.min(size - offset, 777_777);
            all.update(data, offset, n);
            crcOnly.update(data, offset, n);
            none.update(data, offset, n);
            offset += n;
        }
        Crc64 crc = new Crc64();
        crc.update(data, 0, data.length);
        Qetag qetag = new Qetag();
        qetag.update(data, 0, data.length);
        Checksum md5 = Checksum.md5Hex(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
        Checksum sha256 = new Checksum(SHA256,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));

        assertThat(all.finish()).containsExactlyInAnyOrder(md5, sha256, crc.checksum(), qetag.checksum());
        assertThat(crcOnly.finish()).containsExactly(crc.checksum());
        assertThat(none.finish()).isEmpty();
    }
}
