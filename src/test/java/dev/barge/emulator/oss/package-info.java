/**
 * An Aliyun OSS protocol emulator for tests; start with {@link dev.barge.emulator.oss.OssEmulator}.
 *
 * <p>Layout: {@code OssEmulator} (lifecycle, builder, on the shared
 * {@code dev.barge.test.net.HttpServer}) → {@code OssHttpHandler} (HTTP in and out, the faults of
 * {@code dev.barge.test.fault}, journal) → {@code OssRouter} (signature check via
 * {@code OssSignatureVerifier}, then dispatch) → {@code OssBucketOperations},
 * {@code OssObjectOperations}, {@code OssMultipartOperations} → the in-memory model
 * ({@code OssStore}, {@code OssBucketState}, {@code OssObject}, {@code OssMultipartUpload}).
 * {@code OssXml} writes and reads XML bodies; {@code Crc64Ecma} is OSS's checksum.
 */
package dev.barge.emulator.oss;
