// Every screen survives a cold start. A screen opened by its address on a
// fresh page load — a reload, a shared link, a tab Android discarded and
// restored — must show its content on an enrolled phone, never
// 本机尚未登记 (the sync status has not read the identity yet when the
// first screen decides). The demo office (it may see every section) opens
// each route of each section by a full page load and waits for the
// screen's content: its test id, no loading line, no 尚未登记.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demoLink, enrollByLink, idb } from './app.mjs';
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

/** The id of the first record of `kind` on the phone that `pick` accepts. */
async function firstId(kind, pick = () => true) {
  const records = await idb(page, { kind });
  const found = records.find(pick);
  assert.ok(found, `the demo city has a ${kind}`);
  return found.id;
}

/** Every route of every section, with the test id its screen shows. */
async function routes() {
  const check = await firstId('spot_check');
  const miss = await firstId('observation', (r) => JSON.stringify(r.fact ?? r).includes('not_wearing'));
  const unit = await firstId('unit');
  const post = await firstId('post');
  const household = await firstId('household');
  const session = await firstId('study_session');
  const member = await firstId('member');
  const system = await firstId('system');
  return [
    ['/spot-checks', 'page-spot-checks'],
    ['/spot-checks/new', 'page-start-check'],
    [`/spot-checks/check/${check}`, 'page-check'],
    [`/spot-checks/check/${check}/summary`, 'page-summary'],
    [`/spot-checks/notice/${miss}`, 'page-notice'],
    ['/spot-checks/rankings', 'page-rankings'],
    [`/spot-checks/unit/${unit}`, 'page-unit'],
    ['/spot-checks/roster', 'page-roster'],
    [`/spot-checks/roster/${unit}`, 'page-roster-unit'],
    ['/posts', 'page-posts'],
    ['/posts/new', 'page-post-register'],
    ['/posts/awards', 'page-awards'],
    ['/posts/rubric', 'page-rubric'],
    [`/posts/${post}`, 'page-post'],
    [`/posts/${post}/plate`, 'page-plate'],
    ['/pairing', 'page-pairing'],
    ['/pairing/new', 'page-pairing-new'],
    [`/pairing/h/${household}`, 'page-pairing-card'],
    [`/pairing/h/${household}/edit`, 'page-pairing-edit'],
    [`/pairing/h/${household}/pair`, 'page-pairing-pair'],
    [`/pairing/h/${household}/visit`, 'page-pairing-visit'],
    [`/pairing/h/${household}/support`, 'page-pairing-support'],
    [`/pairing/h/${household}/dispute`, 'page-pairing-dispute'],
    ['/pairing/reports', 'page-pairing-reports'],
    ['/pairing/reports/new', 'page-pairing-report-new'],
    ['/pairing/summary', 'page-pairing-summary'],
    ['/pairing/conflicts', 'page-pairing-conflicts'],
    ['/study', 'page-study'],
    ['/study/new', 'page-study-new'],
    [`/study/session/${session}`, 'page-study-session'],
    ['/study/members', 'page-study-members'],
    [`/study/unit/${unit}`, 'page-study-unit'],
    [`/study/system/${system}`, 'page-study-system'],
    [`/study/member/${member}`, 'page-study-member'],
    ['/study/transition', 'page-study-transition'],
    [`/study/transition/${unit}`, 'page-study-unit-transition'],
    [`/study/transition/${unit}/review`, 'page-study-review'],
    ['/study/settings', 'page-study-settings'],
    ['/sync', 'page-sync'],
    ['/me', 'page-me'],
  ];
}

test('every route of every section shows its content when opened by a page load', async () => {
  const list = await routes();
  const failures = [];
  for (const [route, testid] of list) {
    await page.goto(server.base + route);
    const screen = page.getByTestId(testid);
    try {
      await screen.waitFor({ timeout: 15_000 });
      // Loaded: no loading line left in the screen.
      await page.waitForFunction(
        (id) => {
          const el = document.querySelector(`[data-testid="${id}"]`);
          return el && !/正在读取/.test(el.textContent);
        },
        testid,
        { timeout: 15_000 },
      );
    } catch (e) {
      failures.push(`${route}: no loaded ${testid} (${e.message.split('\n')[0]})`);
      continue;
    }
    const text = await screen.textContent();
    if (/尚未登记/.test(text)) failures.push(`${route}: shows 尚未登记 on an enrolled phone`);
    if (await page.getByRole('link', { name: '去登记' }).count()) failures.push(`${route}: offers 去登记`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${list.length} routes failed a cold start`);
  assert.deepEqual(pageErrors, []);
});
