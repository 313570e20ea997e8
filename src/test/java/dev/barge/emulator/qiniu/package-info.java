/**
 * A Qiniu Kodo protocol emulator for tests: {@link dev.barge.emulator.qiniu.KodoEmulator} serves the
 * up, rs, rsf, uc and io APIs on one 127.0.0.1 port to the real qiniu-java-sdk.
 *
 * <h2>What it does</h2>
 * <ul>
 * <li>Upload: form upload ({@code POST /}), resumable v2 (init, upload part with optional Content-MD5,
 * list parts, complete with fname/mimeType/metadata/customVars, abort) and resumable v1
 * (mkblk/bput/mkfile). putPolicy: scope {@code bucket}, {@code bucket:key}, isPrefixalScope, deadline,
 * insertOnly, saveKey/forceSaveKey ($(x:var) only), returnBody (magic variables key, hash, etag,
 * fsize, bucket, mimeType, fname, md5, x:*), fsizeLimit, fileType.</li>
 * <li>Management: stat, delete, copy, move (force), chtype, restoreAr, chgm (mime and x-qn-meta-*),
 * chstatus, batch (at most 1000 ops; 200 when all succeed, 298 otherwise), list v1 and v2 (UTF-8 byte
 * order, delimiter, marker paging), buckets, mkbucketv3, drop, private, v2/domains, v2/bucketInfo.</li>
 * <li>Download: {@code /<key>} on a bound domain or {@code /getfile/<ak>/<bucket>/<key>}; private
 * buckets check {@code e} and {@code token}; one byte range (206, 416); HEAD; attname.</li>
 * <li>Errors as Kodo sends them: the status line carries Kodo's code (298, 573, 612, 614, 631, 640, 701)
 * and the body is {@code {"error":"..."}}; every answer has an X-Reqid.</li>
 * <li>Faults: {@code KodoEmulator.faults()} takes the rules of {@code dev.barge.test.fault}, the
 * same a {@code FaultProxy} takes: errors with Kodo's statuses (573, 579, 599, 612...) and texts,
 * throttling, resets, bodies cut short or with a wrong length, slow bodies, delays.</li>
 * </ul>
 *
 * <h2>Where Kodo's behaviour was guessed</h2>
 * The status codes below follow Kodo's documentation; the texts marked "guessed" in the code are not
 * documented and may differ from the real service: 614 "bucket exists" on mkbucketv3; 403 "bucket is not
 * empty" when dropping a bucket with files (the real service may answer differently); 403 "archive file
 * is not restored" when reading, or changing the type of, a frozen archive/deep-archive file; 403 "file
 * is disabled" for a disabled file; 401 "download token not specified" / "download token auth failed" /
 * "token out of date" for private downloads; 612 "no such uploadId"; 400 for malformed complete-upload
 * bodies and parts under 1 MiB (except the last); 640 "invalid marker"; 406 "crc32 not match".
 *
 * <h2>Simplifications</h2>
 * <ul>
 * <li>The hash of a resumable upload is always the standard qetag of the whole content (Kodo computes
 * a different "v2" hash when v2 parts are not 4 MiB).</li>
 * <li>A bucket-scoped token uploading the same content to an existing key succeeds without touching the
 * object; different content gets 614, as in Kodo.</li>
 * <li>Because one port plays every host, a Qiniu signature is also accepted when computed over
 * {@code Host: 127.0.0.1:PORT} while the request's Host header says {@code 127.0.0.1} (the SDK's
 * Api-based calls do that).</li>
 * <li>Not implemented: fetch/asyncFetch, prefetch, deleteAfterDays, lifecycle, events, CORS, quotas,
 * callbacks (callbackUrl), persistent ops, mime detection, X-Qiniu-Date skew checks, expiry of open
 * uploads, lastModify in stat.</li>
 * </ul>
 */
package dev.barge.emulator.qiniu;
