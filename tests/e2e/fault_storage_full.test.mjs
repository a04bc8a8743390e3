// Issue 12, a fault on the phone: storage full. The browser's quota for the
// app's origin is cut below what it already uses (Chrome DevTools Protocol
// `Storage.overrideQuotaForOrigin`: IndexedDB then aborts every write at its
// commit with a QuotaExceededError, as on a phone whose disk is full). Every
// kind of save the inspector makes on the way — a tap (the fast path and
// the careful one), a new member (a mutable record), a new check — must say
// so in plain Chinese and leave nothing half-written: no record without its
// outbox entry or the other way round, the screens (the in-memory store)
// showing exactly what is on disk. With space again, saving works and the
// sync sends exactly what was saved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ORG, assertOnce, assertWhole, idb, localState, mark, officePhone, seedUnitOrg, serverLog, startCheck, syncNow,
  tab, until,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const FULL = '手机存储空间已满，刚才的记录没有保存。请清理手机空间后重试。';

let server;
let admin;
let context;
let page;
let cdp;
const problems = [];

before(async () => {
  server = await startServer();
  admin = await seedUnitOrg(server);
  context = await launchPhone();
  page = await officePhone(server, admin, context);
  page.on('pageerror', (e) => problems.push(e.message));
  cdp = await context.newCDPSession(page);
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/**
 * One small write in a database of the test's own (not the app's) on the
 * app's origin: `'full'` when the browser refused it for lack of space.
 */
const probeWrite = () => new Promise((resolve, reject) => {
  const open = indexedDB.open('quota-probe', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('s');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction('s', 'readwrite');
    tx.objectStore('s').put('x'.repeat(1000), Math.random());
    tx.oncomplete = () => { db.close(); resolve('written'); };
    tx.onabort = () => { db.close(); resolve(tx.error?.name === 'QuotaExceededError' ? 'full' : String(tx.error)); };
  };
});

/**
 * Cuts the origin's quota below what it uses, so every write fails. Chromium
 * keeps granting small writes from the space it last saw free for up to 30 s
 * (`BucketContext::kBucketSpaceCacheTimeLimit`): wait until a write of the
 * test's own is refused.
 */
async function fillStorage() {
  assert.equal(await page.evaluate(probeWrite), 'written');
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.base, quotaSize: Math.floor(usage / 2) });
  await until('the browser to refuse writes', async () => (await page.evaluate(probeWrite)) === 'full', 60000);
}

async function freeStorage() {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.base });
}

/** The alert under the save `within` shows, checked to be the plain message. */
async function fullMessage(within, what) {
  const alert = within.getByRole('alert').filter({ hasText: FULL });
  await alert.waitFor({ timeout: 10000 });
  assert.equal((await alert.textContent()).trim(), FULL, `${what}: the message, nothing raw`);
}

/** Fails unless IndexedDB is exactly as `before` and every save whole. */
async function unchanged(before, what) {
  const now = await localState(page);
  assertWhole(now, what);
  assert.deepEqual(now, before, `${what}: nothing written`);
}

test('storage full: each save says so in Chinese, nothing is half-written, the screens agree with the disk', async () => {
  await context.setOffline(true);
  await startCheck(page, '市教育局', '明查');
  const checkUrl = page.url();
  await mark(page, '王建国 佩戴');
  await mark(page, '李秀英 未佩戴');
  const saved = await localState(page);
  assertWhole(saved, 'before the disk fills');
  const list = page.getByTestId('member-list');
  const persisted = await list.getAttribute('data-persisted');

  await fillStorage();

  // Taps: the first goes the fast path (the clock and number this page
  // wrote last), a failed one resets it, so the next go the careful way.
  for (const name of ['张伟', '刘芳', '陈静']) {
    await page.getByRole('button', { name: `${name} 佩戴`, exact: true }).click();
    await fullMessage(list.locator('li', { hasText: name }), `tap on ${name}`);
    await unchanged(saved, `tap on ${name}`);
    assert.equal(await page.getByRole('button', { name: `${name} 佩戴`, exact: true }).count(), 1, `${name} still unmarked`);
  }
  assert.equal(await list.getAttribute('data-persisted'), persisted, 'no tap counted as saved');
  await page.screenshot({ path: artifactPath('faults', 'storage-full-tap.png'), fullPage: true });

  // The screen (the in-memory store) and the disk agree, before and after a reload.
  assert.equal(await page.getByTestId('mark').count(), 2);
  await page.reload();
  await list.waitFor();
  assert.equal(await page.getByTestId('mark').count(), 2, 'after a reload: the same two marks');
  assert.equal((await idb(page, { kind: 'observation' })).length, 2);

  // A mutable record: a new member on the unit's roster.
  await page.goto(`${server.base}/spot-checks/roster/${ORG.unit}`);
  const add = page.getByTestId('add-member');
  await add.getByLabel('姓名', { exact: true }).fill('郑新');
  await add.getByLabel('岗位类型').selectOption({ label: '管理岗位' });
  await add.getByRole('button', { name: '添加党员' }).click();
  await fullMessage(add, 'a new member');
  await unchanged(saved, 'a new member');
  assert.equal(await page.getByTestId('roster-members').getByText('郑新').count(), 0, 'not listed');

  // A new check (the fact that starts one).
  await startCheckFails();
  await unchanged(saved, 'a new check');
  assert.equal((await idb(page, { kind: 'spot_check' })).length, 1);

  // Space again: the same tap saves, and the sync sends what was saved, once.
  await freeStorage();
  await page.goto(checkUrl);
  await list.waitFor();
  await mark(page, '张伟 佩戴');
  assertWhole(await localState(page), 'with space again');
  await context.setOffline(false);
  await syncNow(page);
  const after = await localState(page);
  assert.equal(after.outbox.length, 0, 'everything sent');
  const phone = (await idb(page, { kind: 'observation' })).map((o) => o.id).sort();
  assert.equal(phone.length, 3);
  const log = await serverLog(server.base, admin);
  const sent = [...assertOnce(log.filter((c) => c.kind === 'observation').map((c) => c.id), 'observation on the server')];
  assert.deepEqual(sent.sort(), phone, 'the server has exactly the saved marks');
  assert.equal(log.filter((c) => c.kind === 'spot_check').length, 1);
  assert.equal(log.filter((c) => c.kind === 'member').length, 20, 'no half-saved member sent');
  assert.deepEqual(problems, []);
});

/** 开始检查 with the disk full: the start screen shows the message and stays. */
async function startCheckFails() {
  await tab(page, '巡察');
  await page.getByTestId('start-check').click();
  await page.getByTestId('page-start-check').waitFor();
  await page.getByLabel('搜索单位').fill('教育');
  await page.getByRole('radio', { name: '市教育局', exact: true }).check();
  await page.getByRole('radio', { name: '暗访', exact: true }).check();
  await page.getByRole('button', { name: '开始检查' }).click();
  await fullMessage(page.getByTestId('page-start-check'), 'a new check');
  assert.equal(await page.getByTestId('page-check').count(), 0, 'still on the start screen');
}
