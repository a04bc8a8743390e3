// The app is split into lazily loaded parts (issue 15, app/src/lazy.rs).
// Two promises follow from that, checked here on the release build:
//
// - after one online visit, an installed app opens every screen of every
//   section offline, with the server gone: the service worker stored
//   every part (a fresh profile, the demo office, each route by a page
//   load, as the cold-start test does online);
// - once the worker controls the page, the app fetches every part ahead
//   from its cache while the phone is idle (lazy::fetch_parts_when_idle),
//   so no screen waits for its part and nothing is downloaded twice;
// - a part that cannot be fetched (a browser without the worker, the link
//   dropping) never takes the app down: the screen says so in Chinese with
//   重试, the tab bar and the screens of the main module keep working, and
//   no page error is thrown.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { demoLink, enrollByLink, everyRoute, openEachRoute, tab } from './app.mjs';
import { APP_DIR, launchPhone, startServer } from './harness.mjs';

const phones = [];
const servers = [];
after(async () => {
  for (const phone of phones) await phone.close();
  for (const server of servers) await server.stop();
});

/**
 * A real server (`serverArgs`) and a fresh phone (`phoneOptions`) on it,
 * closed after the file; `errors` collects the page's uncaught errors.
 */
async function phoneOnServer(serverArgs, phoneOptions) {
  const server = await startServer({ args: serverArgs });
  servers.push(server);
  const phone = await launchPhone(phoneOptions);
  phones.push(phone);
  const page = phone.pages()[0] ?? (await phone.newPage());
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { server, phone, page, errors };
}

test('a fresh install opens every route of every section offline, the server stopped', async () => {
  const { server, phone, page, errors } = await phoneOnServer(['--demo']);
  await enrollByLink(page, demoLink(server.dataDir, server.base, 'office'));
  const list = await everyRoute(page);
  // Enrolled: the worker has installed (enrollByLink waits for it), and
  // 我的 tells the user the app is ready to go out of signal.
  await page.goto(`${server.base}/me`);
  await page.getByTestId('offline-status').filter({ hasText: '本应用已完整存到本机' }).waitFor();

  await phone.setOffline(true);
  await server.stop();
  const failures = await openEachRoute(page, server.base, list);
  assert.deepEqual(failures, [], `${failures.length} of ${list.length} routes failed offline`);
  assert.deepEqual(errors, []);
});

test('once the worker controls the page, every part is fetched ahead, from its cache', async () => {
  const build = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'build.json'), 'utf8'));
  const parts = new Set(build.chunks);
  assert.ok(parts.size > 0, 'the release build has lazily loaded parts');
  const { server, page, errors } = await phoneOnServer(['--demo']);
  const fetched = new Map();
  page.on('response', (res) => {
    const file = new URL(res.url()).pathname;
    if (parts.has(file)) fetched.set(file, { status: res.status(), fromWorker: res.fromServiceWorker() });
  });
  // The enrolment form lives in the main module; 登记 is tapped once the
  // worker controls the page, so even the part with an enrolled phone's
  // 同步 card (shown at once) comes from its cache.
  await enrollByLink(page, demoLink(server.dataDir, server.base, 'inspector'), { afterWorker: true });
  const deadline = Date.now() + 60_000;
  while (fetched.size < parts.size && Date.now() < deadline) await page.waitForTimeout(250);
  const never = [...parts].filter((p) => !fetched.has(p));
  assert.deepEqual(never, [], `${never.length} of ${parts.size} part files never fetched ahead (a part missing from pages::PARTS?)`);
  const fromNetwork = [...fetched].filter(([, r]) => !r.fromWorker || r.status !== 200).map(([p]) => p);
  assert.deepEqual(fromNetwork, [], 'every part came from the worker\'s cache');
  assert.deepEqual(errors, []);
});

test('a part that cannot be fetched shows 重试, and the rest of the app keeps working', async () => {
  const build = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'build.json'), 'utf8'));
  assert.ok(build.chunks.length > 0, 'the release build has lazily loaded parts');
  // No service worker: every part comes from the network, which drops it.
  const { server, page, errors } = await phoneOnServer([], { serviceWorkers: 'block' });
  const parts = new Set(build.chunks);
  let refused = 0;
  await page.route('**/*.wasm', (route) => {
    if (!parts.has(new URL(route.request().url()).pathname)) return route.continue();
    refused += 1;
    return route.abort('internetdisconnected');
  });

  await page.goto(`${server.base}/me`);
  const missing = page.getByTestId('part-missing');
  await missing.waitFor();
  assert.match(await missing.getByRole('alert').textContent(), /这一页还没有下载到本机/);
  assert.ok(refused > 0, 'the part was asked for');
  // 巡察's home lives in the main module: the tab bar still takes the user there.
  await tab(page, '巡察');
  await page.getByTestId('page-spot-checks').waitFor();

  // Back to it: still no part (a failure is not remembered as final).
  await page.goBack();
  await page.getByTestId('part-missing').waitFor();
  // Back on the network, 重试 loads the part.
  await page.unroute('**/*.wasm');
  await page.getByRole('button', { name: '重试' }).click();
  await page.getByTestId('page-me').waitFor();
  assert.deepEqual(errors, []);
});
