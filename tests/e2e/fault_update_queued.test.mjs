// Issue 12, a fault on the phone: the app updated to a new version while
// changes are queued. The office's phone runs one version; a new build is
// published (its own boot script, so the version that runs is known, and
// a new service worker, as update.test.mjs does) and waits behind
// 新版本可用; the phone goes offline and records a check (the old version
// queues it), then the user taps 点击更新 — offline, from the new worker's
// cache. The queue survives the switch whole, and back online the new
// version pushes it: the server has it once, nothing was sent before.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertOnce, assertWhole, localState, mark, officePhone, seedUnitOrg, serverLog, startCheck, syncNow, tab,
} from './app.mjs';
import { APP_DIR, artifactPath, launchPhone, startServer, tempDir } from './harness.mjs';

let server;
let admin;
let context;
let page;
let appDir;
/** When each push the server answered reached the phone. */
const pushed = [];

before(async () => {
  // A private copy of the built app, so the test can publish a new version.
  appDir = tempDir('app');
  fs.cpSync(APP_DIR, appDir, { recursive: true });
  server = await startServer({ appDir });
  admin = await seedUnitOrg(server);
  context = await launchPhone();
  page = await officePhone(server, admin, context);
  page.on('response', (r) => {
    if (r.url().endsWith('/api/sync/push') && r.status() === 200) pushed.push(Date.now());
  });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/**
 * Publishes a new version of the app in `appDir`: a boot script of its own
 * that marks the page (`window.xfBuild = 'v2'`), `index.html` loading it,
 * and a service worker with a new cache name that precaches it.
 */
function publishNewVersion() {
  const build = JSON.parse(fs.readFileSync(path.join(appDir, 'build.json'), 'utf8'));
  const boot = 'boot-00000000000000b2.js';
  const text = fs.readFileSync(path.join(appDir, build.boot), 'utf8');
  fs.writeFileSync(path.join(appDir, boot), `window.xfBuild = 'v2';\n${text}`);
  for (const file of ['index.html', 'sw.js']) {
    const full = path.join(appDir, file);
    const next = fs.readFileSync(full, 'utf8').replaceAll(build.boot, boot)
      .replace(/xf-shell-[0-9a-f]+/, 'xf-shell-00000000000000b2');
    fs.writeFileSync(full, next);
    // The server sends a precompressed sibling as it is: drop the old ones.
    for (const ext of ['.br', '.gz']) fs.rmSync(full + ext, { force: true });
  }
}

test('changes queued by one version are pushed by the next, once', async () => {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.xfBuild), undefined, 'the first version runs');

  publishNewVersion();
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.getByText('新版本可用').waitFor({ timeout: 15_000 });

  // Offline, the version in control records a check: three changes queued.
  await context.setOffline(true);
  await startCheck(page, '市教育局', '明查');
  await mark(page, '王建国 佩戴');
  await mark(page, '李秀英 未佩戴');
  assert.equal(await page.evaluate(() => window.xfBuild), undefined, 'recorded by the first version');
  const queued = await localState(page);
  assertWhole(queued, 'queued by the first version');
  assert.equal(queued.outbox.length, 3);

  // The user applies the update, still offline.
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '点击更新' }).click()]);
  const updatedAt = Date.now();
  await page.waitForFunction(() => window.xfBuild === 'v2');
  await page.waitForFunction(async () => (await caches.keys()).join() === 'xf-shell-00000000000000b2');
  const carried = await localState(page);
  assertWhole(carried, 'after the update');
  assert.deepEqual(carried.outbox, queued.outbox, 'the queue survives the update as it was');
  await tab(page, '同步');
  await page.getByTestId('unsent').filter({ hasText: /^3 条$/ }).waitFor();
  await page.screenshot({ path: artifactPath('faults', 'update-queued.png'), fullPage: true });
  assert.deepEqual(pushed, [], 'nothing pushed before the update');

  // Back online: the new version pushes the queue.
  await context.setOffline(false);
  await syncNow(page);
  assert.equal(await page.evaluate(() => window.xfBuild), 'v2');
  assert.equal((await localState(page)).outbox.length, 0, 'the queue is empty');
  assert.ok(pushed.length > 0 && pushed.every((t) => t >= updatedAt), 'pushed by the new version');
  const log = await serverLog(server.base, admin);
  for (const c of queued.outbox) {
    assert.equal(log.filter((x) => x.kind === c.kind && x.id === c.id).length, 1, `${c.kind} ${c.id} on the server once`);
  }
  assertOnce(log.filter((c) => c.op === 'insert').map((c) => c.id), 'fact on the server');
});
