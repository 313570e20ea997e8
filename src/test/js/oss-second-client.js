#!/usr/bin/env node
// Drives Barge's OSS emulator with Aliyun's official Node.js SDK (ali-oss), to check that the emulator
// accepts what a second official client sends, not only what aliyun-sdk-oss (Java) sends.
//
//   node oss-second-client.js ENDPOINT ACCESS_KEY_ID SECRET      (or OSS_ENDPOINT, OSS_AK, OSS_SK)
//
// ali-oss must be resolvable (NODE_PATH=~/.cache/barge/npm-clients/node_modules, as .ci/run installs it).
// Every check is run twice, with V1 signatures (ali-oss's default: the date in x-oss-date) and with V4
// (authorizationV4). One line per check; the first failure prints what the SDK got and exits 1.
'use strict';

const OSS = require('ali-oss');
const crypto = require('crypto');
const http = require('http');

const endpoint = process.argv[2] || process.env.OSS_ENDPOINT;
const accessKeyId = process.argv[3] || process.env.OSS_AK;
const accessKeySecret = process.argv[4] || process.env.OSS_SK;
if (!endpoint || !accessKeyId || !accessKeySecret) {
  console.error('usage: node oss-second-client.js ENDPOINT ACCESS_KEY_ID SECRET');
  process.exit(2);
}

class CheckFailed extends Error {}

function client(signing, bucket, secret = accessKeySecret) {
  return new OSS({
    endpoint,
    region: 'oss-cn-hangzhou',
    accessKeyId,
    accessKeySecret: secret,
    bucket,
    secure: false,
    authorizationV4: signing === 'v4',
    retryMax: 0,
    timeout: 20000
  });
}

function expect(condition, what, got) {
  if (!condition) {
    throw new CheckFailed(`${what}; the SDK got: ${typeof got === 'string' ? got : JSON.stringify(got)}`);
  }
}

/** Runs an SDK call that must fail; returns the error. */
async function failing(call) {
  try {
    const result = await call();
    return { code: 'no error', status: result && result.res && result.res.status };
  } catch (e) {
    return e;
  }
}

function describe(e) {
  return `${e.name} status=${e.status} code=${e.code} message=${e.message}`;
}

/** GET of a URL whose host is bucket.localhost:PORT, sent to 127.0.0.1:PORT with that Host header. */
function fetchVia127(url) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: u.port, path: u.pathname + u.search, headers: { Host: u.host } }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    }).on('error', reject);
  });
}

/**
 * The query without undefined values: ali-oss puts "marker=" in the URL for an undefined marker but leaves
 * it out of a V4 signature, which OSS then refuses.
 */
const defined = query => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));

const text = body => Buffer.isBuffer(body) ? body.toString('utf8') : String(body);

async function suite(signing, check) {
  const bucket = `second-client-${signing}`;
  const oss = client(signing, bucket);

  await check('create bucket', async () => {
    const r = await oss.putBucket(bucket);
    expect(r.res.status === 200, 'putBucket should answer 200', r.res.status);
    const buckets = await oss.listBuckets();
    expect((buckets.buckets || []).some(b => b.name === bucket), `listBuckets should show ${bucket}`, buckets.buckets);
  });

  await check('put', async () => {
    const r = await oss.put('docs/hello.txt', Buffer.from('hello, world'), {
      headers: { 'Content-Type': 'text/plain' },
      meta: { origin: 'node' }
    });
    expect(r.res.status === 200, 'put should answer 200', r.res.status);
    const md5 = crypto.createHash('md5').update('hello, world').digest('hex').toUpperCase();
    expect(r.res.headers.etag === `"${md5}"`, `etag should be "${md5}"`, r.res.headers.etag);
  });

  await check('head and metadata', async () => {
    const r = await oss.head('docs/hello.txt');
    expect(r.status === 200, 'head should answer 200', r.status);
    expect(r.meta && r.meta.origin === 'node', 'user metadata origin=node should come back', r.meta);
    const meta = await oss.getObjectMeta('docs/hello.txt');
    expect(meta.res.headers['content-length'] === '12', 'getObjectMeta should report 12 bytes', meta.res.headers);
  });

  await check('get whole', async () => {
    const r = await oss.get('docs/hello.txt');
    expect(text(r.content) === 'hello, world', 'get should return "hello, world"', text(r.content));
    expect(r.res.headers['content-type'] === 'text/plain', 'content type should be text/plain', r.res.headers['content-type']);
  });

  await check('get ranges', async () => {
    const first = await oss.get('docs/hello.txt', { headers: { Range: 'bytes=0-4' } });
    expect(first.res.status === 206 && text(first.content) === 'hello', 'bytes=0-4 should be 206 "hello"',
      `${first.res.status} ${text(first.content)}`);
    const tail = await oss.get('docs/hello.txt', { headers: { Range: 'bytes=-5' } });
    expect(text(tail.content) === 'world', 'bytes=-5 should be "world"', text(tail.content));
    const open = await oss.get('docs/hello.txt', { headers: { Range: 'bytes=7-' } });
    expect(text(open.content) === 'world', 'bytes=7- should be "world"', text(open.content));
    expect(open.res.headers['content-range'] === 'bytes 7-11/12', 'content-range should be bytes 7-11/12',
      open.res.headers['content-range']);
  });

  await check('get stream', async () => {
    const r = await oss.getStream('docs/hello.txt');
    const chunks = [];
    for await (const chunk of r.stream) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString() === 'hello, world', 'getStream should return "hello, world"',
      Buffer.concat(chunks).toString());
  });

  const keys = ['a/1', 'a/2', 'b/1', 'b/2', 'c', 'docs/hello.txt', 'key with spaces+plus', '中文/键'];
  await check('put more keys', async () => {
    for (const key of keys.filter(k => k !== 'docs/hello.txt')) {
      await oss.put(key, Buffer.from(`body of ${key}`));
    }
    const r = await oss.get('中文/键');
    expect(text(r.content) === 'body of 中文/键', 'a non-ASCII key should read back', text(r.content));
  });

  await check('list with marker (V1)', async () => {
    const seen = [];
    let marker;
    let pages = 0;
    do {
      const page = await oss.list(defined({ 'max-keys': 3, marker }));
      pages++;
      seen.push(...(page.objects || []).map(o => o.name));
      marker = page.isTruncated ? page.nextMarker : undefined;
      expect(!page.isTruncated || page.nextMarker, 'a truncated page should carry NextMarker', page);
    } while (marker && pages < 10);
    expect(JSON.stringify(seen) === JSON.stringify(keys), `pages of 3 should list ${keys}`, seen);
    expect(pages === 3, 'eight keys in pages of 3 should take 3 pages', pages);
  });

  await check('list with delimiter (V1)', async () => {
    const page = await oss.list({ delimiter: '/', 'max-keys': 100 });
    expect(JSON.stringify((page.objects || []).map(o => o.name)) === JSON.stringify(['c', 'key with spaces+plus']),
      'objects at the top level should be c and "key with spaces+plus"', page.objects);
    expect(JSON.stringify(page.prefixes) === JSON.stringify(['a/', 'b/', 'docs/', '中文/']),
      'common prefixes should be a/ b/ docs/ 中文/', page.prefixes);
    const inA = await oss.list({ prefix: 'a/', delimiter: '/' });
    expect(inA.objects.length === 2 && inA.prefixes === null, 'prefix a/ should hold 2 objects', inA);
  });

  await check('list with continuation token (V2)', async () => {
    const seen = [];
    let token;
    let pages = 0;
    do {
      const page = await oss.listV2(defined({ 'max-keys': 3, 'continuation-token': token }));
      pages++;
      seen.push(...(page.objects || []).map(o => o.name));
      token = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (token && pages < 10);
    expect(JSON.stringify(seen) === JSON.stringify(keys), `V2 pages of 3 should list ${keys}`, seen);
    const after = await oss.listV2({ 'start-after': 'b/2', delimiter: '/', 'max-keys': 100 });
    expect(JSON.stringify(after.objects.map(o => o.name)) === JSON.stringify(['c', 'key with spaces+plus'])
      && JSON.stringify(after.prefixes) === JSON.stringify(['docs/', '中文/']),
    'start-after b/2 with delimiter should give c, "key with spaces+plus" and docs/, 中文/', after);
  });

  await check('copy', async () => {
    const r = await oss.copy('copied/hello.txt', 'docs/hello.txt');
    expect(r.res.status === 200 && r.data && r.data.etag, 'copy should answer 200 with an ETag', r.res.status);
    const back = await oss.get('copied/hello.txt');
    expect(text(back.content) === 'hello, world', 'the copy should read "hello, world"', text(back.content));
    const replaced = await oss.copy('copied/meta.txt', 'docs/hello.txt', { meta: { origin: 'copy' } });
    expect(replaced.res.status === 200, 'copy with new metadata should answer 200', replaced.res.status);
    const head = await oss.head('copied/meta.txt');
    expect(head.meta && head.meta.origin === 'copy', 'copy with REPLACE should carry the new metadata', head.meta);
  });

  await check('append', async () => {
    const first = await oss.append('log.txt', Buffer.from('one,'));
    const second = await oss.append('log.txt', Buffer.from('two'), { position: first.nextAppendPosition });
    expect(second.nextAppendPosition === '7', 'next append position should be 7', second.nextAppendPosition);
    const back = await oss.get('log.txt');
    expect(text(back.content) === 'one,two', 'appended object should read "one,two"', text(back.content));
  });

  await check('delete', async () => {
    const r = await oss.delete('copied/meta.txt');
    expect(r.res.status === 204, 'delete should answer 204', r.res.status);
    const again = await oss.delete('copied/meta.txt');
    expect(again.res.status === 204, 'deleting a missing key should answer 204', again.res.status);
  });

  await check('delete multiple', async () => {
    const r = await oss.deleteMulti(['a/1', 'a/2', 'no/such/key']);
    const deleted = r.deleted.map(d => d.Key).sort();
    expect(JSON.stringify(deleted) === JSON.stringify(['a/1', 'a/2', 'no/such/key']),
      'deleteMulti should report the three keys deleted', r.deleted);
    const quiet = await oss.deleteMulti(['b/1', 'b/2'], { quiet: true });
    expect(quiet.deleted.length === 0, 'a quiet deleteMulti should list nothing', quiet.deleted);
    const left = await oss.list({ prefix: 'b/' });
    expect(!left.objects || left.objects.length === 0, 'b/ should be empty after deleteMulti', left.objects);
  });

  const big = crypto.randomBytes(300 * 1024 + 17);
  await check('multipart upload (managed)', async () => {
    const r = await oss.multipartUpload('big/managed.bin', big, { partSize: 100 * 1024, parallel: 2 });
    expect(r.res.status === 200, 'multipartUpload should answer 200', r.res.status);
    const back = await oss.get('big/managed.bin');
    expect(Buffer.compare(back.content, big) === 0, `the object should be the ${big.length} bytes uploaded`,
      `${back.content.length} bytes`);
    const part = await oss.get('big/managed.bin', { headers: { Range: 'bytes=102400-102409' } });
    expect(Buffer.compare(part.content, big.subarray(102400, 102410)) === 0, 'a range across parts should match',
      part.content.toString('hex'));
  });

  await check('multipart upload (parts, list, abort)', async () => {
    const init = await oss.initMultipartUpload('big/parts.bin');
    expect(init.uploadId, 'initMultipartUpload should return an upload id', init);
    const one = await oss.uploadPart('big/parts.bin', init.uploadId, 1, big, 0, 200 * 1024);
    const two = await oss.uploadPart('big/parts.bin', init.uploadId, 2, big, 200 * 1024, big.length);
    const uploads = await oss.listUploads({ prefix: 'big/' });
    expect(uploads.uploads.some(u => u.uploadId === init.uploadId), 'listUploads should show the upload',
      uploads.uploads);
    const parts = await oss.listParts('big/parts.bin', init.uploadId);
    expect(parts.parts.length === 2 && parts.parts[0].Size === String(200 * 1024),
      'listParts should show two parts, the first of 204800 bytes', parts.parts);
    const done = await oss.completeMultipartUpload('big/parts.bin', init.uploadId,
      [{ number: 1, etag: one.etag }, { number: 2, etag: two.etag }]);
    expect(done.res.status === 200, 'completeMultipartUpload should answer 200', done.res.status);
    const back = await oss.get('big/parts.bin');
    expect(Buffer.compare(back.content, big) === 0, 'the completed object should be the bytes uploaded',
      `${back.content.length} bytes`);
    const copyInit = await oss.initMultipartUpload('big/part-copy.bin');
    const copied = await oss.uploadPartCopy('big/part-copy.bin', copyInit.uploadId, 1, '0-102399',
      { sourceKey: 'big/parts.bin', sourceBucketName: bucket });
    const last = await oss.uploadPart('big/part-copy.bin', copyInit.uploadId, 2, Buffer.from('tail'), 0, 4);
    await oss.completeMultipartUpload('big/part-copy.bin', copyInit.uploadId,
      [{ number: 1, etag: copied.etag }, { number: 2, etag: last.etag }]);
    const joined = await oss.get('big/part-copy.bin');
    expect(Buffer.compare(joined.content, Buffer.concat([big.subarray(0, 102400), Buffer.from('tail')])) === 0,
      'uploadPartCopy + a part should join', `${joined.content.length} bytes`);
    const abandoned = await oss.initMultipartUpload('big/abandoned.bin');
    await oss.abortMultipartUpload('big/abandoned.bin', abandoned.uploadId);
    const after = await oss.listUploads({ prefix: 'big/' });
    expect(!after.uploads.some(u => u.uploadId === abandoned.uploadId), 'an aborted upload should be gone',
      after.uploads);
  });

  await check('archive and restore', async () => {
    await oss.put('cold/archived.txt', Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } });
    const head = await oss.head('cold/archived.txt');
    expect(head.res.headers['x-oss-storage-class'] === 'Archive', 'storage class should be Archive', head.res.headers);
    const before = await failing(() => oss.get('cold/archived.txt'));
    expect(before.status === 403 && before.code === 'InvalidObjectState',
      'reading an archived object before restore should fail with 403 InvalidObjectState', describe(before));
    const restore = await oss.restore('cold/archived.txt', { Days: 1 });
    expect(restore.res.status === 202, 'restore should answer 202', restore.res.status);
    const again = await failing(() => oss.restore('cold/archived.txt', { Days: 1 }));
    expect(again.status === 409 && again.code === 'RestoreAlreadyInProgress',
      'a second restore while one runs should fail with 409 RestoreAlreadyInProgress', describe(again));
    let restored;
    for (let i = 0; i < 5; i++) {
      const h = await oss.head('cold/archived.txt');
      restored = h.res.headers['x-oss-restore'];
      if (restored && restored.includes('ongoing-request="false"')) break;
    }
    expect(restored && restored.includes('ongoing-request="false"'),
      'x-oss-restore should report ongoing-request="false" after a few HEADs', restored);
    const back = await oss.get('cold/archived.txt');
    expect(text(back.content) === 'frozen', 'a restored object should read "frozen"', text(back.content));
    const list = await oss.list({ prefix: 'cold/' });
    expect(list.objects[0].storageClass === 'Archive', 'listing should show StorageClass Archive', list.objects);
  });

  await check('storage class change by copy', async () => {
    await oss.copy('cold/ia.txt', 'docs/hello.txt', { headers: { 'x-oss-storage-class': 'IA' } });
    const head = await oss.head('cold/ia.txt');
    expect(head.res.headers['x-oss-storage-class'] === 'IA', 'copy with x-oss-storage-class IA should set IA',
      head.res.headers['x-oss-storage-class']);
  });

  await check('signed URL', async () => {
    // ali-oss refuses to sign URLs for an IP endpoint: sign for localhost:PORT (virtual-host style,
    // bucket.localhost:PORT), then fetch from 127.0.0.1 with that Host
    const named = new OSS({ endpoint: endpoint.replace('127.0.0.1', 'localhost'), region: 'oss-cn-hangzhou',
      accessKeyId, accessKeySecret, bucket, secure: false, authorizationV4: signing === 'v4' });
    const url = signing === 'v4'
      ? await named.signatureUrlV4('GET', 600, {}, 'docs/hello.txt')
      : named.signatureUrl('docs/hello.txt', { expires: 600 });
    const r = await fetchVia127(url);
    expect(r.status === 200 && r.body === 'hello, world', `a signed URL should read the object (${url})`,
      `${r.status} ${r.body}`);
    const tampered = await fetchVia127(url.replace('docs/hello.txt', 'docs/other.txt'));
    expect(tampered.status === 403 && tampered.body.includes('SignatureDoesNotMatch'),
      'a signed URL for another key should fail with 403 SignatureDoesNotMatch', `${tampered.status} ${tampered.body}`);
  });

  await check('error: missing key', async () => {
    const e = await failing(() => oss.get('no/such/key'));
    expect(e.status === 404 && e.code === 'NoSuchKey', 'get of a missing key should fail with 404 NoSuchKey',
      describe(e));
    const h = await failing(() => oss.head('no/such/key'));
    expect(h.status === 404, 'head of a missing key should fail with 404', describe(h));
  });

  await check('error: missing bucket', async () => {
    const e = await failing(() => client(signing, 'no-such-bucket-here').get('x'));
    expect(e.status === 404 && e.code === 'NoSuchBucket', 'get in a missing bucket should fail with 404 NoSuchBucket',
      describe(e));
  });

  await check('error: bad secret', async () => {
    const e = await failing(() => client(signing, bucket, 'not-the-secret').get('docs/hello.txt'));
    expect(e.status === 403 && e.code === 'SignatureDoesNotMatch',
      'a wrong secret should fail with 403 SignatureDoesNotMatch', describe(e));
    const put = await failing(() => client(signing, bucket, 'not-the-secret').put('x', Buffer.from('x')));
    expect(put.status === 403 && put.code === 'SignatureDoesNotMatch',
      'a put with a wrong secret should fail with 403 SignatureDoesNotMatch', describe(put));
  });

  await check('error: unknown access key', async () => {
    const other = new OSS({ endpoint, region: 'oss-cn-hangzhou', accessKeyId: 'NOSUCHKEY', accessKeySecret,
      bucket, secure: false, authorizationV4: signing === 'v4', retryMax: 0 });
    const e = await failing(() => other.get('docs/hello.txt'));
    expect(e.status === 403 && e.code === 'InvalidAccessKeyId', 'an unknown key should fail with 403 InvalidAccessKeyId',
      describe(e));
  });

  await check('error: range not satisfiable', async () => {
    const e = await failing(() => oss.get('docs/hello.txt', { headers: { Range: 'bytes=100-200' } }));
    // OSS ignores an unsatisfiable range and returns the whole object (documented), with 200
    expect(e.code === 'no error' && e.status === 200, 'a range past the end should return the whole object with 200',
      describe(e));
  });

  await check('delete bucket', async () => {
    const notEmpty = await failing(() => oss.deleteBucket(bucket));
    expect(notEmpty.status === 409 && notEmpty.code === 'BucketNotEmpty',
      'deleting a bucket with objects should fail with 409 BucketNotEmpty', describe(notEmpty));
    const all = [];
    let marker;
    do {
      const page = await oss.list(defined({ marker, 'max-keys': 1000 }));
      all.push(...(page.objects || []).map(o => o.name));
      marker = page.isTruncated ? page.nextMarker : undefined;
    } while (marker);
    await oss.deleteMulti(all, { quiet: true });
    const uploads = await oss.listUploads({});
    for (const u of uploads.uploads) await oss.abortMultipartUpload(u.name, u.uploadId);
    const r = await oss.deleteBucket(bucket);
    expect(r.res.status === 204, 'deleteBucket should answer 204', r.res.status);
  });
}

async function main() {
  let count = 0;
  for (const signing of ['v1', 'v4']) {
    const check = async (name, body) => {
      try {
        await body();
        count++;
        console.log(`ok   ${signing} ${name}`);
      } catch (e) {
        const detail = e instanceof CheckFailed ? e.message : `unexpected error: ${describe(e)}`
          + (e.requestId ? ` requestId=${e.requestId}` : '') + (e.params ? '' : '');
        console.log(`FAIL ${signing} ${name}: ${detail}`);
        if (!(e instanceof CheckFailed) && process.env.SECOND_CLIENT_DEBUG) console.log(e.stack);
        process.exit(1);
      }
    };
    await suite(signing, check);
  }
  console.log(`all ${count} checks passed`);
}

main().catch(e => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
