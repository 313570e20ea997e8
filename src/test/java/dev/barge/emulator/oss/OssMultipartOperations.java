package dev.barge.emulator.oss;

import dev.barge.storage.KeyOrder;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Multipart upload: InitiateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
 */
final class OssMultipartOperations {

    private static final int MAX_PART_NUMBER = 10_000;
    private static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    private final OssStore store;
    private final OssObjectOperations objects;

    OssMultipartOperations(OssStore store, OssObjectOperations objects) {
        this.store = requireNonNull(store, "store is null");
        this.objects = requireNonNull(objects, "objects is null");
    }

    OssResponse initiate(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String uploadId = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        OssMultipartUpload upload = new OssMultipartUpload(uploadId, request.key(), store.now(),
                OssHeaders.contentType(request), OssHeaders.userMetadata(request), OssHeaders.systemHeaders(request),
                OssHeaders.storageClass(request, bucket.storageClass()));
        bucket.locked(() -> {
            OssHeaders.checkForbidOverwrite(request, bucket.stored(request.key()));
            return bucket.uploads().put(uploadId, upload);
        });
        boolean urlEncoded = OssObjectOperations.urlEncoding(request);
        OssXml xml = OssXml.document().open("InitiateMultipartUploadResult")
                .element("Bucket", bucket.name())
                .element("Key", urlEncoded ? OssCodecs.uriEncode(request.key(), false) : request.key())
                .element("UploadId", uploadId);
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        return OssResponse.xml(200, xml.close("InitiateMultipartUploadResult").toBytes());
    }

    OssResponse uploadPart(OssRequest request) {
        OssMultipartUpload upload = upload(request);
        int number = partNumber(request);
        byte[] data = request.body();
        if (data.length > MAX_PART_SIZE) {
            throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
        }
        OssHeaders.checkContentMd5(request, data);
        OssMultipartUpload.Part part = new OssMultipartUpload.Part(number, data, OssCodecs.md5(data),
                Crc64Ecma.of(data), store.now());
        upload.putPart(part);
        return OssResponse.status(200)
                .header("ETag", OssHeaders.quoted(part.etag()))
                .header("Content-MD5", OssCodecs.base64(part.md5()))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(part.crc64()));
    }

    /**
     * UploadPartCopy. {@code x-oss-copy-source-range: bytes=first-last} selects a slice; as OSS
     * does, a range that is not valid for the source copies the whole source.
     */
    OssResponse uploadPartCopy(OssRequest request) {
        OssMultipartUpload upload = upload(request);
        int number = partNumber(request);
        OssObject source = objects.readableSource(request);
        byte[] all = source.data();
        int from = 0;
        int count = all.length;
        OssRange range = OssRange.parse(request.header("x-oss-copy-source-range"), all.length, false);
        if (range != null) {
            from = (int) range.first();
            count = (int) range.length();
        }
        byte[] data = new byte[count];
        System.arraycopy(all, from, data, 0, count);
        OssMultipartUpload.Part part = new OssMultipartUpload.Part(number, data, OssCodecs.md5(data),
                Crc64Ecma.of(data), store.now());
        upload.putPart(part);
        byte[] xml = OssXml.document().open("CopyPartResult")
                .element("LastModified", OssCodecs.ISO_8601.format(part.lastModified()))
                .element("ETag", OssHeaders.quoted(part.etag()))
                .close("CopyPartResult").toBytes();
        // the ETag header too, as for UploadPart: ali-oss reads the part's etag from it, not from the body
        return OssResponse.xml(200, xml)
                .header("ETag", OssHeaders.quoted(part.etag()))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(part.crc64()));
    }

    /**
     * CompleteMultipartUpload: the listed parts, in ascending order, each with the etag it was
     * uploaded with; every part but the last at least the minimum part size. With
     * {@code x-oss-complete-all: yes} and no body, all uploaded parts.
     */
    OssResponse complete(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        OssMultipartUpload upload = upload(request);
        List<OssMultipartUpload.Part> chosen = new ArrayList<>();
        if ("yes".equalsIgnoreCase(request.header("x-oss-complete-all"))) {
            if (request.body().length > 0) {
                throw OssError.invalidArgument("x-oss-complete-all: yes must come with an empty body.",
                        "x-oss-complete-all", "yes");
            }
            chosen.addAll(upload.partList());
            if (chosen.isEmpty()) {
                throw OssError.malformedXml("the upload has no parts");
            }
        } else {
            Element root = OssXml.parse(request.body());
            if (!root.getTagName().equals("CompleteMultipartUpload")) {
                throw OssError.malformedXml("the root element must be CompleteMultipartUpload");
            }
            List<Element> parts = OssXml.children(root, "Part");
            if (parts.isEmpty()) {
                throw OssError.malformedXml("no Part element");
            }
            int previous = 0;
            for (Element element : parts) {
                String numberText = OssXml.childText(element, "PartNumber");
                String etag = OssXml.childText(element, "ETag");
                if (numberText == null || etag == null) {
                    throw OssError.malformedXml("a Part needs PartNumber and ETag");
                }
                int number;
                try {
                    number = Integer.parseInt(numberText.trim());
                } catch (NumberFormatException e) {
                    throw OssError.malformedXml("PartNumber is not a number");
                }
                if (number <= previous) {
                    throw new OssError(400, "InvalidPartOrder", "The list of parts was not in ascending order. "
                            + "The parts list must be specified in order of the part number.")
                            .detail("PartNumber", String.valueOf(number));
                }
                previous = number;
                OssMultipartUpload.Part part = upload.parts().get(number);
                if (part == null || !OssHeaders.unquoted(etag).equalsIgnoreCase(part.etag())) {
                    throw new OssError(400, "InvalidPart", "One or more of the specified parts could not be found "
                            + "or the specified entity tag might not have matched the part's entity tag.")
                            .detail("PartNumber", String.valueOf(number))
                            .detail("ETag", etag)
                            .detail("UploadId", upload.uploadId());
                }
                chosen.add(part);
            }
        }
        long minPartSize = store.settings().minPartSize();
        for (int i = 0; i < chosen.size() - 1; i++) {
            OssMultipartUpload.Part part = chosen.get(i);
            if (part.data().length < minPartSize) {
                throw new OssError(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size.")
                        .detail("PartNumber", String.valueOf(part.number()))
                        .detail("MinSizeAllowed", String.valueOf(minPartSize))
                        .detail("ProposedSize", String.valueOf(part.data().length));
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        long crc = 0;
        for (OssMultipartUpload.Part part : chosen) {
            content.writeBytes(part.data());
            md5s.writeBytes(part.md5());
            crc = Crc64Ecma.update(crc, part.data(), 0, part.data().length);
        }
        byte[] data = content.toByteArray();
        if (data.length > store.settings().maxObjectSize()) {
            throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
        }
        String etag = OssCodecs.upperHex(OssCodecs.md5(md5s.toByteArray())) + "-" + chosen.size();
        OssObject object = new OssObject(upload.key(), data, etag, crc, null, store.now(), upload.contentType(),
                upload.userMetadata(), upload.systemHeaders(), upload.storageClass(), OssObject.Type.Multipart, null);
        bucket.locked(() -> {
            if (bucket.uploads().get(upload.uploadId()) != upload) {
                throw OssError.noSuchUpload(upload.uploadId());
            }
            OssHeaders.checkForbidOverwrite(request, bucket.stored(upload.key()));
            bucket.put(object);
            bucket.uploads().remove(upload.uploadId());
            return null;
        });
        boolean urlEncoded = OssObjectOperations.urlEncoding(request);
        String key = urlEncoded ? OssCodecs.uriEncode(upload.key(), false) : upload.key();
        String host = request.header("Host") == null ? "127.0.0.1" : request.header("Host");
        OssXml xml = OssXml.document().open("CompleteMultipartUploadResult");
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        xml.element("Location", "http://" + host + "/" + bucket.name() + "/" + OssCodecs.uriEncode(upload.key(), true))
                .element("Bucket", bucket.name())
                .element("Key", key)
                .element("ETag", OssHeaders.quoted(etag));
        return OssResponse.xml(200, xml.close("CompleteMultipartUploadResult").toBytes())
                .header("ETag", OssHeaders.quoted(etag))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(crc));
    }

    OssResponse abort(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        OssMultipartUpload upload = upload(request);
        bucket.locked(() -> bucket.uploads().remove(upload.uploadId()));
        return OssResponse.status(204);
    }

    OssResponse listParts(OssRequest request) {
        OssMultipartUpload upload = upload(request);
        int maxParts = OssBucketOperations.intParam(request, "max-parts", 1000, 1, 1000);
        int marker = OssBucketOperations.intParam(request, "part-number-marker", 0, 0, MAX_PART_NUMBER);
        List<OssMultipartUpload.Part> after = new ArrayList<>(upload.parts().tailMap(marker, false).values());
        boolean truncated = after.size() > maxParts;
        List<OssMultipartUpload.Part> page = truncated ? after.subList(0, maxParts) : after;
        boolean urlEncoded = OssObjectOperations.urlEncoding(request);
        OssXml xml = OssXml.document().open("ListPartsResult")
                .element("Bucket", request.bucket())
                .element("Key", urlEncoded ? OssCodecs.uriEncode(upload.key(), false) : upload.key())
                .element("UploadId", upload.uploadId())
                .element("StorageClass", upload.storageClass())
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).number())
                .element("MaxParts", maxParts)
                .element("IsTruncated", truncated);
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        for (OssMultipartUpload.Part part : page) {
            xml.open("Part")
                    .element("PartNumber", part.number())
                    .element("LastModified", OssCodecs.ISO_8601.format(part.lastModified()))
                    .element("ETag", OssHeaders.quoted(part.etag()))
                    .element("HashCrc64ecma", Crc64Ecma.format(part.crc64()))
                    .element("Size", part.data().length)
                    .close("Part");
        }
        return OssResponse.xml(200, xml.close("ListPartsResult").toBytes());
    }

    /** ListMultipartUploads: prefix, key-marker, upload-id-marker, max-uploads (no delimiter roll-up). */
    OssResponse listUploads(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String prefix = request.param("prefix") == null ? "" : request.param("prefix");
        String keyMarker = request.param("key-marker") == null ? "" : request.param("key-marker");
        String uploadIdMarker = request.param("upload-id-marker") == null ? "" : request.param("upload-id-marker");
        int maxUploads = OssBucketOperations.intParam(request, "max-uploads", 1000, 1, 1000);
        Comparator<OssMultipartUpload> order = Comparator.comparing(OssMultipartUpload::key, OssCodecs.KEY_ORDER)
                .thenComparing(OssMultipartUpload::initiated)
                .thenComparing(OssMultipartUpload::uploadId);
        List<OssMultipartUpload> uploads = new ArrayList<>();
        for (OssMultipartUpload upload : bucket.uploads().values()) {
            int byKey = KeyOrder.UTF8.compare(upload.key(), keyMarker);
            boolean afterMarker = keyMarker.isEmpty() || byKey > 0
                    || (byKey == 0 && !uploadIdMarker.isEmpty() && upload.uploadId().compareTo(uploadIdMarker) > 0);
            if (upload.key().startsWith(prefix) && afterMarker) {
                uploads.add(upload);
            }
        }
        uploads.sort(order);
        boolean truncated = uploads.size() > maxUploads;
        List<OssMultipartUpload> page = truncated ? uploads.subList(0, maxUploads) : uploads;
        OssMultipartUpload last = page.isEmpty() ? null : page.get(page.size() - 1);
        boolean urlEncoded = OssObjectOperations.urlEncoding(request);
        OssXml xml = OssXml.document().open("ListMultipartUploadsResult")
                .element("Bucket", bucket.name())
                .element("KeyMarker", encode(keyMarker, urlEncoded))
                .element("UploadIdMarker", uploadIdMarker)
                .element("NextKeyMarker", last == null ? "" : encode(last.key(), urlEncoded))
                .element("NextUploadIdMarker", last == null ? "" : last.uploadId())
                .element("Delimiter", encode(request.param("delimiter") == null ? "" : request.param("delimiter"), urlEncoded))
                .element("Prefix", encode(prefix, urlEncoded))
                .element("MaxUploads", maxUploads)
                .element("IsTruncated", truncated);
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        for (OssMultipartUpload upload : page) {
            xml.open("Upload")
                    .element("Key", encode(upload.key(), urlEncoded))
                    .element("UploadId", upload.uploadId())
                    .element("StorageClass", upload.storageClass())
                    .element("Initiated", OssCodecs.ISO_8601.format(upload.initiated()))
                    .close("Upload");
        }
        return OssResponse.xml(200, xml.close("ListMultipartUploadsResult").toBytes());
    }

    private static String encode(String value, boolean urlEncoded) {
        return urlEncoded ? OssCodecs.uriEncode(value, false) : value;
    }

    private OssMultipartUpload upload(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String uploadId = request.param("uploadId");
        OssMultipartUpload upload = uploadId == null ? null : bucket.uploads().get(uploadId);
        if (upload == null || !upload.key().equals(request.key())) {
            throw OssError.noSuchUpload(uploadId);
        }
        return upload;
    }

    private static int partNumber(OssRequest request) {
        String text = request.param("partNumber");
        try {
            int number = Integer.parseInt(String.valueOf(text));
            if (number >= 1 && number <= MAX_PART_NUMBER) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OssError.invalidArgument("Part number must be an integer between 1 and 10000, inclusive.",
                "partNumber", text);
    }
}
