/**
 * Network plumbing shared by the test servers: {@link dev.barge.test.net.HttpServer}, the one Netty
 * bootstrap under {@code test.fault.FaultProxy} and the OSS and Kodo emulators. Packaged with the
 * emulators in {@code target/barge-emulators.jar}.
 */
package dev.barge.test.net;
