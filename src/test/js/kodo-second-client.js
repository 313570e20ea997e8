#!/usr/bin/env node
// Drives Barge's Kodo emulator with Qiniu's official Node.js SDK (qiniu), to check that the emulator
// accepts what a second official client sends, not only what qiniu-java-sdk sends.
//
//   node kodo-second-client.js HOST:PORT ACCESS_KEY SECRET_KEY BUCKET   (or KODO_HOST, KODO_AK, KODO_SK, KODO_BUCKET)
//
// BUCKET must exist, be empty, and be served at http://HOST:PORT/<key> (KodoEmulator.bindDefaultDomain).
// qiniu must be resolvable (NODE_PATH=~/.cache/barge/npm-clients/node_modules, as .ci/run installs it).
// Management calls go out signed both ways Kodo documents: "Qiniu" tokens (v2, what BucketManager sends, with
// X-Qiniu-Date) and "QBox" tokens (v1, util.generateAccessToken), for GET and POST. One line per check; the
// first failure prints what the SDK got and exits 1.
'use strict';

const qiniu = require('qiniu');
const crypto = require('crypto');
const http = require('http');
const { Readable } = require('stream');

const host = process.argv[2] || process.env.KODO_HOST;
const accessKey = process.argv[3] || process.env.KODO_AK;
const secretKey = process.argv[4] || process.env.KODO_SK;
const bucket = process.argv[5] || process.env.KODO_BUCKET;
if (!host || !accessKey || !secretKey || !bucket) {
  console.error('usage: node kodo-second-client.js HOST:PORT ACCESS_KEY SECRET_KEY BUCKET');
  process.exit(2);
}
const base = `http://${host}`;

class CheckFailed extends Error {}

function expect(condition, what, got) {
  if (!condition) {
    throw new CheckFailed(`${what}; the SDK got: ${typeof got === 'string' ? got : JSON.stringify(got)}`);
  }
}

const mac = new qiniu.auth.digest.Mac(accessKey, secretKey);
const badMac = new qiniu.auth.digest.Mac(accessKey, 'not-the-secret');

function config() {
  const zone = new qiniu.conf.Zone([host], [host], host, host, host, host);
  return new qiniu.conf.Config({
    zone,
    useHttpsDomain: false,
    ucEndpointsProvider: new qiniu.httpc.StaticEndpointsProvider([new qiniu.httpc.Endpoint(host)])
  });
}

const manager = new qiniu.rs.BucketManager(mac, config());
const badManager = new qiniu.rs.BucketManager(badMac, config());

/** Status and body of an SDK call, whether its promise resolves (any status) or rejects. */
async function call(promise) {
  try {
    const { data, resp } = await promise;
    return { status: resp && resp.statusCode, data, resp };
  } catch (e) {
    return { status: e.resp && e.resp.statusCode, data: e.resp && e.resp.data, error: `${e.name}: ${e.message}` };
  }
}

function show(r) {
  return `status=${r.status} data=${Buffer.isBuffer(r.data) ? r.data.toString() : JSON.stringify(r.data)}`
    + (r.error ? ` error=${r.error}` : '');
}

function token(scope, extra = {}) {
  return new qiniu.rs.PutPolicy(Object.assign({ scope, expires: 3600 }, extra)).uploadToken(mac);
}

function qetag(buffer) {
  // Qiniu's etag: urlsafe base64 of 0x16 + sha1 (one 4 MiB block) or 0x96 + sha1 of the blocks' sha1s
  const block = 4 * 1024 * 1024;
  const sha1 = b => crypto.createHash('sha1').update(b).digest();
  let prefix;
  let digest;
  if (buffer.length <= block) {
    prefix = 0x16;
    digest = sha1(buffer);
  } else {
    const parts = [];
    for (let at = 0; at < buffer.length; at += block) parts.push(sha1(buffer.subarray(at, at + block)));
    prefix = 0x96;
    digest = sha1(Buffer.concat(parts));
  }
  return Buffer.concat([Buffer.from([prefix]), digest]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** A plain HTTP GET (the SDK has no download API: a signed URL is the download), with optional headers. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), headers: res.headers }));
    }).on('error', reject);
  });
}

function privateUrl(key) {
  return manager.privateDownloadUrl(base, key, Math.floor(Date.now() / 1000) + 3600);
}

/** Form upload (up host, multipart POST /). */
async function formPut(key, body, putExtra, uploadToken = token(`${bucket}:${key}`)) {
  return call(new qiniu.form_up.FormUploader(config()).put(uploadToken, key, body, putExtra || new qiniu.form_up.PutExtra()));
}

/** Resumable upload with the given API version ('v1': mkblk/bput/mkfile, 'v2': multipart uploads). */
async function resumablePut(key, body, version, partSize) {
  const extra = qiniu.resume_up.PutExtra.create(null, { 'x:origin': 'node' }, 'application/x-test', null, null, partSize,
    version, { 'x-qn-meta-upload': version });
  const stream = Readable.from([body]);
  return call(new qiniu.resume_up.ResumeUploader(config())
    .putStream(token(`${bucket}:${key}`), key, stream, body.length, extra));
}

async function suite(check) {
  await check('bucket list, info, create and delete', async () => {
    const list = await call(manager.listBucket());
    expect(list.status === 200 && Array.isArray(list.data) && list.data.includes(bucket),
      `listBucket should include ${bucket}`, show(list));
    const made = await call(manager.createBucket('second-client-tmp', { regionId: 'z0' }));
    expect(made.status === 200, 'createBucket should answer 200', show(made));
    const again = await call(manager.createBucket('second-client-tmp', { regionId: 'z0' }));
    expect(again.status === 614, 'creating an existing bucket should answer 614', show(again));
    const info = await call(manager.getBucketInfo('second-client-tmp'));
    expect(info.status === 200 && info.data.region === 'z0', 'getBucketInfo should report region z0', show(info));
    const dropped = await call(manager.deleteBucket('second-client-tmp'));
    expect(dropped.status === 200, 'deleteBucket should answer 200', show(dropped));
    const after = await call(manager.listBucket());
    expect(!after.data.includes('second-client-tmp'), 'a deleted bucket should no longer be listed', show(after));
  });

  const hello = Buffer.from('hello, world');
  await check('form upload', async () => {
    const extra = new qiniu.form_up.PutExtra();
    extra.mimeType = 'text/plain';
    extra.metadata = { 'x-qn-meta-origin': 'node' };
    const r = await formPut('docs/hello.txt', hello, extra);
    expect(r.status === 200 && r.data.key === 'docs/hello.txt' && r.data.hash === qetag(hello),
      `form upload should answer 200 with key and hash ${qetag(hello)}`, show(r));
  });

  await check('form upload without overwrite rights', async () => {
    const r = await formPut('docs/hello.txt', Buffer.from('other'), null, token(bucket));
    expect(r.status === 614, 'a bucket-scoped token may not overwrite an existing key: 614', show(r));
  });

  await check('stat', async () => {
    const r = await call(manager.stat(bucket, 'docs/hello.txt'));
    expect(r.status === 200 && r.data.fsize === 12 && r.data.hash === qetag(hello) && r.data.mimeType === 'text/plain',
      'stat should report 12 bytes, the hash and text/plain', show(r));
    expect(r.data.type === 0, 'a new object should be standard (type 0)', show(r));
    expect(r.data['x-qn-meta'] && r.data['x-qn-meta'].origin === 'node', 'stat should show metadata origin=node',
      show(r));
  });

  await check('private bucket', async () => {
    const r = await call(manager.putBucketAccessMode(bucket, { private: 1 }));
    expect(r.status === 200, 'putBucketAccessMode private should answer 200', show(r));
    const info = await call(manager.getBucketInfo(bucket));
    expect(info.data.private === 1, 'the bucket should now be private', show(info));
    const unsigned = await get(`${base}/docs/hello.txt`);
    expect(unsigned.status === 401, 'an unsigned GET on a private bucket should be refused with 401',
      `${unsigned.status} ${unsigned.body}`);
  });

  await check('download whole', async () => {
    const r = await get(privateUrl('docs/hello.txt'));
    expect(r.status === 200 && r.body.equals(hello), 'a signed URL should read "hello, world"', `${r.status} ${r.body}`);
    expect(r.headers.etag === `"${qetag(hello)}"` || r.headers.etag === qetag(hello), 'the ETag should be the hash',
      r.headers.etag);
  });

  await check('download ranges', async () => {
    const first = await get(privateUrl('docs/hello.txt'), { Range: 'bytes=0-4' });
    expect(first.status === 206 && first.body.toString() === 'hello', 'bytes=0-4 should be 206 "hello"',
      `${first.status} ${first.body}`);
    expect(first.headers['content-range'] === 'bytes 0-4/12', 'content-range should be bytes 0-4/12',
      first.headers['content-range']);
    const open = await get(privateUrl('docs/hello.txt'), { Range: 'bytes=7-' });
    expect(open.status === 206 && open.body.toString() === 'world', 'bytes=7- should be "world"',
      `${open.status} ${open.body}`);
    const tail = await get(privateUrl('docs/hello.txt'), { Range: 'bytes=-5' });
    expect(tail.status === 206 && tail.body.toString() === 'world', 'bytes=-5 should be "world"',
      `${tail.status} ${tail.body}`);
    const past = await get(privateUrl('docs/hello.txt'), { Range: 'bytes=100-' });
    expect(past.status === 416, 'a range past the end should be 416', `${past.status} ${past.body}`);
  });

  await check('download with a bad signature', async () => {
    const signed = privateUrl('docs/hello.txt');
    const forged = signed.replace(/token=[^&]*/, `token=${accessKey}:${'A'.repeat(27)}=`);
    const r = await get(forged);
    expect(r.status === 401, 'a URL signed with another secret should be refused with 401', `${r.status} ${r.body}`);
    const expired = new qiniu.rs.BucketManager(mac, config())
      .privateDownloadUrl(base, 'docs/hello.txt', Math.floor(Date.now() / 1000) - 60);
    const late = await get(expired);
    expect(late.status === 401, 'an expired URL should be refused with 401', `${late.status} ${late.body}`);
  });

  const keys = ['a/1', 'a/2', 'b/1', 'b/2', 'c', 'docs/hello.txt', 'key with spaces+plus', '中文/键'];
  await check('upload more keys', async () => {
    for (const key of keys.filter(k => k !== 'docs/hello.txt')) {
      const r = await formPut(key, Buffer.from(`body of ${key}`));
      expect(r.status === 200, `form upload of ${key} should answer 200`, show(r));
    }
    const r = await get(privateUrl('中文/键'));
    expect(r.body.toString() === 'body of 中文/键', 'a non-ASCII key should read back', `${r.status} ${r.body}`);
  });

  await check('list with marker', async () => {
    const seen = [];
    let marker;
    let pages = 0;
    do {
      const r = await call(manager.listPrefix(bucket, { limit: 3, marker }));
      expect(r.status === 200, 'listPrefix should answer 200', show(r));
      pages++;
      seen.push(...r.data.items.map(i => i.key));
      marker = r.data.marker;
    } while (marker && pages < 10);
    expect(JSON.stringify(seen) === JSON.stringify(keys), `pages of 3 should list ${keys}`, seen);
    expect(pages === 3, 'eight keys in pages of 3 should take 3 pages', pages);
  });

  await check('list with delimiter', async () => {
    const r = await call(manager.listPrefix(bucket, { delimiter: '/' }));
    expect(JSON.stringify(r.data.items.map(i => i.key)) === JSON.stringify(['c', 'key with spaces+plus']),
      'top-level items should be c and "key with spaces+plus"', show(r));
    expect(JSON.stringify(r.data.commonPrefixes) === JSON.stringify(['a/', 'b/', 'docs/', '中文/']),
      'common prefixes should be a/ b/ docs/ 中文/', show(r));
    const inB = await call(manager.listPrefix(bucket, { prefix: 'b/', delimiter: '/' }));
    expect(inB.data.items.length === 2 && !(inB.data.commonPrefixes || []).length, 'prefix b/ should hold 2 items', show(inB));
  });

  await check('list v2 (streamed lines)', async () => {
    const r = await call(manager.listPrefixV2(bucket, { prefix: 'a/' }));
    const lines = String(r.data).split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
    const listed = lines.filter(l => l.item).map(l => l.item.key);
    expect(r.status === 200 && JSON.stringify(listed) === JSON.stringify(['a/1', 'a/2']),
      'listPrefixV2 with prefix a/ should stream a/1 and a/2', show(r));
  });

  await check('copy', async () => {
    const r = await call(manager.copy(bucket, 'docs/hello.txt', bucket, 'copied/hello.txt'));
    expect(r.status === 200, 'copy should answer 200', show(r));
    const back = await get(privateUrl('copied/hello.txt'));
    expect(back.body.equals(hello), 'the copy should read "hello, world"', `${back.status} ${back.body}`);
    const exists = await call(manager.copy(bucket, 'docs/hello.txt', bucket, 'copied/hello.txt'));
    expect(exists.status === 614, 'copying onto an existing key without force should answer 614', show(exists));
    const forced = await call(manager.copy(bucket, 'c', bucket, 'copied/hello.txt', { force: true }));
    expect(forced.status === 200, 'copy with force should answer 200', show(forced));
  });

  await check('move and change mime', async () => {
    const moved = await call(manager.move(bucket, 'copied/hello.txt', bucket, 'moved/hello.txt'));
    expect(moved.status === 200, 'move should answer 200', show(moved));
    const gone = await call(manager.stat(bucket, 'copied/hello.txt'));
    expect(gone.status === 612, 'the source of a move should be gone (612)', show(gone));
    const mime = await call(manager.changeMime(bucket, 'moved/hello.txt', 'application/x-moved'));
    expect(mime.status === 200, 'changeMime should answer 200', show(mime));
    const stat = await call(manager.stat(bucket, 'moved/hello.txt'));
    expect(stat.data.mimeType === 'application/x-moved', 'the new mime type should show in stat', show(stat));
  });

  await check('delete', async () => {
    const r = await call(manager.delete(bucket, 'moved/hello.txt'));
    expect(r.status === 200, 'delete should answer 200', show(r));
    const again = await call(manager.delete(bucket, 'moved/hello.txt'));
    expect(again.status === 612, 'deleting a missing key should answer 612', show(again));
  });

  await check('batch', async () => {
    const ops = [qiniu.rs.statOp(bucket, 'a/1'), qiniu.rs.deleteOp(bucket, 'a/2'),
      qiniu.rs.deleteOp(bucket, 'no/such/key'), qiniu.rs.copyOp(bucket, 'b/1', bucket, 'b/3')];
    const r = await call(manager.batch(ops));
    expect(r.status === 298 && Array.isArray(r.data), 'a batch with one failing op should answer 298', show(r));
    const codes = r.data.map(x => x.code);
    expect(JSON.stringify(codes) === JSON.stringify([200, 200, 612, 200]), 'per-op codes should be 200, 200, 612, 200',
      show(r));
    expect(r.data[0].data.fsize === 'body of a/1'.length, 'the stat op should report the size', show(r));
    const all = await call(manager.batch([qiniu.rs.deleteOp(bucket, 'b/3'), qiniu.rs.deleteOp(bucket, 'a/1')]));
    expect(all.status === 200 && all.data.every(x => x.code === 200), 'a batch where all ops succeed should answer 200',
      show(all));
  });

  const big = crypto.randomBytes(4 * 1024 * 1024 + 300 * 1024);
  await check('resumable upload v1 (mkblk, bput, mkfile)', async () => {
    const r = await resumablePut('big/v1.bin', big, 'v1');
    expect(r.status === 200 && r.data.hash === qetag(big), `resumable v1 should answer 200 with hash ${qetag(big)}`,
      show(r));
    const back = await get(privateUrl('big/v1.bin'));
    expect(back.body.equals(big), `the object should be the ${big.length} bytes uploaded`, `${back.body.length} bytes`);
    const stat = await call(manager.stat(bucket, 'big/v1.bin'));
    expect(stat.data.mimeType === 'application/x-test' && stat.data['x-qn-meta'].upload === 'v1',
      'the mime type and metadata of the upload should stick', show(stat));
  });

  await check('resumable upload v2 (multipart uploads)', async () => {
    const r = await resumablePut('big/v2.bin', big, 'v2', 1024 * 1024);
    expect(r.status === 200 && r.data.hash === qetag(big), `resumable v2 should answer 200 with hash ${qetag(big)}`,
      show(r));
    const back = await get(privateUrl('big/v2.bin'));
    expect(back.body.equals(big), `the object should be the ${big.length} bytes uploaded`, `${back.body.length} bytes`);
    const stat = await call(manager.stat(bucket, 'big/v2.bin'));
    expect(stat.data.mimeType === 'application/x-test' && stat.data['x-qn-meta'].upload === 'v2',
      'the mime type and metadata of the upload should stick', show(stat));
    const part = await get(privateUrl('big/v2.bin'), { Range: 'bytes=1048570-1048579' });
    expect(part.body.equals(big.subarray(1048570, 1048580)), 'a range across parts should match', part.body.toString('hex'));
  });

  await check('QBox (v1) token: GET and POST', async () => {
    const entry = qiniu.util.encodedEntry(bucket, 'c');
    const statUrl = `${base}/stat/${entry}`;
    const got = await rpcGet(statUrl, qiniu.util.generateAccessToken(mac, statUrl, null));
    expect(got.status === 200 && got.data.fsize === 'body of c'.length, 'a QBox-signed GET /stat should answer 200',
      show(got));
    const listUrl = `${base}/list?bucket=${bucket}&prefix=b%2F&limit=10`;
    const listed = await rpcPost(listUrl, null, qiniu.util.generateAccessToken(mac, listUrl, null));
    expect(listed.status === 200 && listed.data.items.length === 2, 'a QBox-signed POST /list should list b/1 and b/2',
      show(listed));
    const body = `op=${encodeURIComponent(`/stat/${entry}`)}&op=${encodeURIComponent(`/delete/${qiniu.util.encodedEntry(bucket, 'b/2')}`)}`;
    const batchUrl = `${base}/batch`;
    const batch = await rpcPost(batchUrl, body, qiniu.util.generateAccessToken(mac, batchUrl, body));
    expect(batch.status === 200 && batch.data.length === 2 && batch.data.every(x => x.code === 200),
      'a QBox-signed form POST /batch (body signed) should answer 200', show(batch));
    const forged = await rpcPost(batchUrl, body, qiniu.util.generateAccessToken(badMac, batchUrl, body));
    expect(forged.status === 401, 'a QBox token made with another secret should be refused with 401', show(forged));
    const other = `op=${encodeURIComponent(`/delete/${entry}`)}`;
    const tampered = await rpcPost(batchUrl, other, qiniu.util.generateAccessToken(mac, batchUrl, body));
    expect(tampered.status === 401, 'a QBox token over another body should be refused with 401', show(tampered));
  });

  await check('Qiniu (v2) token without X-Qiniu-Date', async () => {
    const plain = new qiniu.auth.digest.Mac(accessKey, secretKey, { disableQiniuTimestampSignature: true });
    const r = await call(new qiniu.rs.BucketManager(plain, config()).stat(bucket, 'c'));
    expect(r.status === 200 && r.data.fsize === 'body of c'.length, 'stat signed without X-Qiniu-Date should answer 200',
      show(r));
  });

  await check('error: missing key', async () => {
    const r = await call(manager.stat(bucket, 'no/such/key'));
    expect(r.status === 612 && /no such file or directory/.test(JSON.stringify(r.data)),
      'stat of a missing key should answer 612 "no such file or directory"', show(r));
    const d = await get(privateUrl('no/such/key'));
    expect(d.status === 404, 'downloading a missing key should answer 404', `${d.status} ${d.body}`);
  });

  await check('error: missing bucket', async () => {
    const r = await call(manager.stat('no-such-bucket', 'x'));
    expect(r.status === 631, 'stat in a missing bucket should answer 631', show(r));
  });

  await check('error: bad secret', async () => {
    const r = await call(badManager.stat(bucket, 'c'));
    expect(r.status === 401, 'stat signed with a wrong secret should be refused with 401', show(r));
    const post = await call(badManager.delete(bucket, 'c'));
    expect(post.status === 401, 'delete signed with a wrong secret should be refused with 401', show(post));
    const up = await formPut('x', Buffer.from('x'), null,
      new qiniu.rs.PutPolicy({ scope: bucket }).uploadToken(badMac));
    expect(up.status === 401, 'an upload token made with a wrong secret should be refused with 401', show(up));
    const still = await call(manager.stat(bucket, 'c'));
    expect(still.status === 200, 'the object must survive the refused delete', show(still));
  });

  await check('archive and restore', async () => {
    const put = await formPut('cold/frozen.txt', Buffer.from('frozen'));
    expect(put.status === 200, 'upload should answer 200', show(put));
    const archived = await call(manager.changeType(bucket, 'cold/frozen.txt', 2));
    expect(archived.status === 200, 'changeType to 2 (archive) should answer 200', show(archived));
    const stat = await call(manager.stat(bucket, 'cold/frozen.txt'));
    expect(stat.data.type === 2 && stat.data.restoreStatus === undefined, 'stat should show type 2, not restored',
      show(stat));
    const before = await get(privateUrl('cold/frozen.txt'));
    expect(before.status !== 200, 'an archived object should not be readable before restore', `${before.status} ${before.body}`);
    const restore = await call(manager.restoreAr(`${bucket}:cold/frozen.txt`, 1));
    expect(restore.status === 200, 'restoreAr should answer 200', show(restore));
    const after = await call(manager.stat(bucket, 'cold/frozen.txt'));
    expect(after.data.restoreStatus === 2, 'stat should show restoreStatus 2 (restoreStatus 1 means the restore '
      + 'is still running: this script needs an emulator that restores at once, Builder.restoreImmediately(true))',
    show(after));
    const back = await get(privateUrl('cold/frozen.txt'));
    expect(back.status === 200 && back.body.toString() === 'frozen', 'a restored object should read "frozen"',
      `${back.status} ${back.body}`);
    const standard = await call(manager.changeType(bucket, 'cold/frozen.txt', 0));
    expect(standard.status === 200, 'changeType back to 0 after restore should answer 200', show(standard));
    const notArchived = await call(manager.restoreAr(`${bucket}:c`, 1));
    expect(notArchived.status >= 400, 'restoreAr of a standard object should fail', show(notArchived));
  });

  await check('clean up', async () => {
    const all = await call(manager.listPrefix(bucket, { limit: 1000 }));
    const ops = all.data.items.map(i => qiniu.rs.deleteOp(bucket, i.key));
    const r = await call(manager.batch(ops));
    expect(r.status === 200, 'deleting every key in one batch should answer 200', show(r));
    const left = await call(manager.listPrefix(bucket, {}));
    expect(left.data.items.length === 0, 'the bucket should be empty', show(left));
    await call(manager.putBucketAccessMode(bucket, { private: 0 }));
  });
}

/** GET through the SDK's rpc module with a ready-made Authorization token. */
function rpcGet(url, authorization) {
  return rpcResult(cb => qiniu.rpc.getWithToken(url, authorization, cb));
}

/** Form POST through the SDK's rpc module with a ready-made Authorization token. */
function rpcPost(url, form, authorization) {
  return rpcResult(cb => qiniu.rpc.postWithForm(url, form, authorization, cb));
}

function rpcResult(send) {
  return new Promise(resolve => {
    send((err, data, resp) => resolve({
      status: resp && resp.statusCode,
      data,
      error: err ? `${err.name}: ${err.message}` : undefined
    }));
  });
}

async function main() {
  let count = 0;
  const check = async (name, body) => {
    try {
      await body();
      count++;
      console.log(`ok   ${name}`);
    } catch (e) {
      const detail = e instanceof CheckFailed ? e.message : `unexpected error: ${e.stack || e}`;
      console.log(`FAIL ${name}: ${detail}`);
      process.exit(1);
    }
  };
  await suite(check);
  console.log(`all ${count} checks passed`);
}

main().catch(e => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
