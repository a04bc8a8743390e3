// Every screen survives a cold start. A screen opened by its address on a
// fresh page load — a reload, a shared link, a tab Android discarded and
// restored — must show its content on an enrolled phone, never
// 本机尚未登记 (the sync status has not read the identity yet when the
// first screen decides). The demo office (it may see every section) opens
// each route of each section by a full page load and waits for the
// screen's content: its test id, no loading line, no 尚未登记.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demoLink, enrollByLink, everyRoute, openEachRoute } from './app.mjs';
import { launchPhone, startServer } from './harness.mjs';

let server;
let phone;
let page;
const pageErrors = [];

before(async () => {
  server = await startServer({ args: ['--demo'] });
  phone = await launchPhone();
  page = phone.pages()[0] ?? (await phone.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await enrollByLink(page, demoLink(server.dataDir, server.base, 'office'));
});

after(async () => {
  await phone?.close();
  await server?.stop();
});

test('every route of every section shows its content when opened by a page load', async () => {
  const list = await everyRoute(page);
  const failures = await openEachRoute(page, server.base, list);
  assert.deepEqual(failures, [], `${failures.length} of ${list.length} routes failed a cold start`);
  assert.deepEqual(pageErrors, []);
});
