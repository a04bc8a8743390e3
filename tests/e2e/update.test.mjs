// The service worker never swaps versions by itself: a new version waits,
// the app shows 新版本可用, and only the user's tap applies it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { APP_DIR, artifactPath, launchPhone, startServer, tempDir } from './harness.mjs';

let server;
let context;
let page;
let appDir;

before(async () => {
  // A private copy of the built app, so the test can publish a "new version".
  appDir = tempDir('app');
  fs.cpSync(APP_DIR, appDir, { recursive: true });
  server = await startServer({ appDir });
  context = await launchPhone();
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  await server?.stop();
});

const cacheNames = () => page.evaluate(() => caches.keys());

test('a new version waits for the tap on 新版本可用', async () => {
  await page.goto(server.base);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
  const before = await cacheNames();
  assert.equal(before.length, 1);

  // Publish a new build: the worker script changes (so does its cache name).
  const swPath = path.join(appDir, 'sw.js');
  const sw = fs.readFileSync(swPath, 'utf8').replace(/xf-shell-[0-9a-f]+/, 'xf-shell-0000000000000002');
  fs.writeFileSync(swPath, sw);
  for (const ext of ['.br', '.gz']) fs.rmSync(swPath + ext, { force: true });

  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.getByText('新版本可用');
  await banner.waitFor({ timeout: 15_000 });
  // Still the old version in control until the user says so.
  const waiting = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r.waiting));
  assert.ok(waiting, 'the new worker is waiting');
  const during = await cacheNames();
  assert.ok(during.includes('xf-shell-0000000000000002') && before.every((n) => during.includes(n)), 'both versions cached while waiting');
  await page.screenshot({ path: artifactPath('shell', '7-update-ready.png') });

  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '点击更新' }).click()]);
  await page.getByTestId('page-spot-checks').waitFor();
  await page.waitForFunction(async () => {
    const keys = await caches.keys();
    return keys.length === 1 && keys[0] === 'xf-shell-0000000000000002';
  }, null, { timeout: 15_000 });
  assert.equal(await page.getByText('新版本可用').count(), 0, 'the banner is gone after the update');
});
