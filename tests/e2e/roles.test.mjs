// Issue 16, end to end at 390×844 against the real server: each role gets
// its own app. For an office, an inspector, a branch cadre and a village
// cadre: the tab bar in the role's order (a section it only reads marked
// 只读), the first screen its own, and no dead end (every link on its
// section homes opens a screen it may act in or one that says it only
// reads). The village cadre sees who helps its households (name and unit
// of members outside its scope). The unsent count shows on every screen;
// a sync failing for minutes says so on every screen. 交接本机 is refused
// with unsent data until a backup is exported, then wipes the phone, and a
// second user enrolls on the same browser profile and sees none of the
// first one's data. Installing: real Chromium reports no installability
// error (CDP `Page.getInstallabilityErrors`), and WeChat's built-in
// browser gets the banner. Screenshots in test-artifacts/roles/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { api, enrolledPhone, idb, noSidewaysScroll, once, seedOrg, tab, uuid as id } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const SYSTEM = id(0x951);
const UNIT = id(0x961);
const BRANCH = id(0x971);
const HELPER = id(0x991);
const VILLAGE = id(0x9b1);
const GROUP = id(0x9a1);
const INSPECTOR = id(0x9a2);
const HOUSEHOLD = id(0x9c1);
const PAIRING = id(0x9d1);

let server;
let seed;
const phones = [];
const problems = [];

async function phone(name, role, scope) {
  const context = await launchPhone({ timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await enrolledPhone(server, seed, context, { role, scope, name, problems });
  const p = { name, context, page };
  phones.push(p);
  return p;
}

async function shot(page, name) {
  await noSidewaysScroll(page, name);
  await page.screenshot({ path: artifactPath('roles', name), fullPage: true });
}

before(async () => {
  server = await startServer();
  seed = await seedOrg(server, [
    ['system', SYSTEM, { name: '教育系统' }],
    ['unit', UNIT, { system: SYSTEM, name: '市教育局' }],
    ['branch', BRANCH, { unit: UNIT, name: '机关支部' }],
    ['member', HELPER, { name: '王强', branch: BRANCH, post_type: 'management', status: 'in_post' }],
    ['village', VILLAGE, { name: '红旗村', township: '城关镇', work_team: UNIT }],
    ['inspection_group', GROUP, { name: '第一督导组', system: SYSTEM, units: [UNIT] }],
    ['inspector', INSPECTOR, { name: '刘林恒', group: GROUP }],
    ['household', HOUSEHOLD, { head: '赵大山', village: VILLAGE, size: 4, attribute: 'dibao', causes: ['illness'] }],
    ['pairing', PAIRING, { member: HELPER, household: HOUSEHOLD, since: '2005-02-20' }],
  ]);
});

after(async () => {
  for (const p of phones) await p.context.close();
  await server?.stop();
  assert.deepEqual(problems, [], 'no page errors');
});

const ROLES = [
  { key: 'office', name: '先教办', role: 'office', scope: () => ({ level: 'city' }),
    tabs: ['巡察', '示范岗', '结对帮扶', '学习', '同步', '我的'], readOnly: [], home: 'page-spot-checks' },
  { key: 'inspector', name: '刘林恒', role: 'inspector', scope: () => ({ level: 'system', id: SYSTEM }),
    tabs: ['巡察', '示范岗', '学习', '结对帮扶', '同步', '我的'], readOnly: [], home: 'page-spot-checks' },
  { key: 'branch-cadre', name: '支部书记', role: 'cadre', scope: () => ({ level: 'branch', id: BRANCH }),
    tabs: ['结对帮扶', '示范岗', '学习', '巡察', '同步', '我的'], readOnly: ['巡察'], home: 'page-pairing' },
  { key: 'village-cadre', name: '张驻村', role: 'cadre', scope: () => ({ level: 'village', id: VILLAGE }),
    tabs: ['结对帮扶', '示范岗', '巡察', '学习', '同步', '我的'], readOnly: ['巡察', '学习'], home: 'page-pairing' },
];
const SECTION_PAGES = {
  '巡察': 'page-spot-checks', '示范岗': 'page-posts', '结对帮扶': 'page-pairing', '学习': 'page-study',
};
// What a dead end says: a screen of buttons that lead to 无权限.
const DEAD_END = /无权|超出本机角色和范围|不能新建/;

const byRole = {};
for (const r of ROLES) {
  byRole[r.key] = once(async () => {
    const p = await phone(r.name, r.role, r.scope());
    const { page } = p;
    // The first screen is the role's own.
    await page.goto(server.base);
    await page.getByTestId(r.home).waitFor();
    const nav = page.getByTestId('tabbar');
    const labels = await nav.locator('.tab-label').allTextContents();
    assert.deepEqual(labels, r.tabs, `${r.key}: the tab bar in the role's order`);
    const marked = await nav.locator('[data-testid="tab-read-only"] .tab-label').allTextContents();
    assert.deepEqual(marked, r.readOnly, `${r.key}: read-only sections marked`);
    await page.getByTestId(r.home).waitFor();
    await shot(page, `${r.key}-home.png`);

    for (const label of r.tabs.filter((t) => SECTION_PAGES[t])) {
      await tab(page, label);
      const home = page.getByTestId(SECTION_PAGES[label]);
      await home.waitFor();
      // Let the screen settle (the loading line goes).
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      const note = await page.getByTestId('read-only-note').count();
      assert.equal(note > 0, r.readOnly.includes(label), `${r.key} · ${label}: the read-only note`);
      const hrefs = await page.locator('main a[href^="/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
      for (const href of hrefs) {
        await page.goto(`${server.base}${href}`);
        await page.locator('main section.page, main [data-testid^="page-"]').first().waitFor();
        await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
        const text = await page.locator('main').textContent();
        assert.doesNotMatch(text, DEAD_END, `${r.key}: ${label} → ${href} is a dead end`);
      }
      await page.goto(`${server.base}/me`);
      await page.getByTestId('page-me').waitFor();
    }
    return p;
  });
  test(`${r.key}: its own tab bar and homes, no dead end`, () => byRole[r.key]());
}

test('a village cadre sees who helps its households: name and unit, nothing else', async () => {
  const { page } = await byRole['village-cadre']();
  await page.goto(`${server.base}/pairing`);
  const row = page.getByTestId('household-row');
  await row.filter({ hasText: '结对党员：王强 · 市教育局' }).waitFor();
  // The member list itself stays out of reach.
  assert.deepEqual(await idb(page, { kind: 'member' }), []);
  await shot(page, 'village-cadre-partners.png');
});

test('我的: who I am, storage, version, help; the unsent count and a failing sync on every screen', async () => {
  const { page, context } = await byRole['branch-cadre']();
  await page.goto(`${server.base}/me`);
  await page.getByTestId('who-am-i').filter({ hasText: '支部书记' }).waitFor();
  assert.match(await page.getByTestId('me-role').textContent(), /村干部/);
  // The scope's name comes from the store, so it may follow the first sync.
  await page.getByTestId('me-scope').filter({ hasText: '支部 · 机关支部' }).waitFor();
  await page.getByTestId('me-device').waitFor();
  await page.getByTestId('me-since').filter({ hasText: /月.*日/ }).waitFor();
  assert.match(await page.getByTestId('storage-status').textContent(), /浏览器/);
  assert.match(await page.getByTestId('version').textContent(), /已是最新版本/);
  // Enrolled phones wait for the worker's install (app.mjs): all stored.
  await page.getByTestId('offline-status').filter({ hasText: '本应用已完整存到本机' }).waitFor();
  // A help entry per section (巡察, 示范岗, 结对帮扶, 学习) and 同步.
  assert.equal(await page.getByTestId('help').locator('details').count(), 5);
  await shot(page, 'branch-cadre-me.png');

  // Offline, a household card edit: the badge counts it on every screen.
  await context.setOffline(true);
  await tab(page, '结对帮扶');
  await page.getByTestId('household-row').first().click();
  await page.getByRole('link', { name: '修改登记卡' }).click();
  await page.getByLabel('家庭人口').fill('5');
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.getByTestId('unsent-badge').filter({ hasText: '1' }).waitFor();
  await tab(page, '示范岗');
  await page.getByTestId('unsent-badge').filter({ hasText: '1' }).waitFor();
  assert.match(await page.getByTestId('tab-sync').getAttribute('aria-description'), /1 条未同步/);
  await shot(page, 'branch-cadre-unsent.png');

  // Online again but the server failing for ten minutes: said on every screen.
  await page.route('**/api/sync/**', (route) => route.fulfill({ status: 503, body: '' }));
  await context.setOffline(false);
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('xianfeng');
    open.onsuccess = () => {
      const tx = open.result.transaction('meta', 'readwrite');
      tx.objectStore('meta').put(JSON.stringify(Date.now() - 10 * 60 * 1000), 'failing_since');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await tab(page, '同步');
  await page.getByRole('button', { name: '立即同步' }).click();
  await tab(page, '结对帮扶');
  const warning = page.getByTestId('sync-warning');
  await warning.waitFor();
  assert.match(await warning.textContent(), /同步已失败 1\d 分钟：.*服务器/);
  await shot(page, 'branch-cadre-sync-failing.png');
  await page.unroute('**/api/sync/**');
  await tab(page, '同步');
  await page.getByRole('button', { name: '立即同步' }).click();
  await page.getByTestId('unsent').filter({ hasText: /^0 条$/ }).waitFor({ timeout: 20000 });
  await tab(page, '结对帮扶');
  await page.getByTestId('page-pairing').waitFor();
  assert.equal(await page.getByTestId('sync-warning').count(), 0, 'the warning goes with the failure');
  assert.equal(await page.getByTestId('unsent-badge').count(), 0, 'no badge with nothing unsent');
});

test('交接本机: refused with unsent data, offered a backup, wipes, and the next user sees nothing of the last', async () => {
  const { page, context } = await byRole['village-cadre']();
  // Offline, a visit: one unsent change.
  await context.setOffline(true);
  await tab(page, '结对帮扶');
  await page.getByTestId('household-row').first().click();
  await page.getByRole('link', { name: '记录走访' }).click();
  await page.getByTestId('visit-form').waitFor();
  await page.getByLabel('了解到的情况').fill('交接前的一次走访');
  await page.getByRole('button', { name: '保存走访' }).click();
  await page.getByTestId('unsent-badge').filter({ hasText: '1' }).waitFor();

  await tab(page, '我的');
  const handOver = page.getByTestId('hand-over');
  await handOver.getByTestId('hand-over-refused').filter({ hasText: '1 条' }).waitFor();
  assert.equal(await handOver.getByTestId('hand-over-start').isDisabled(), true, 'refused while unsent');
  await shot(page, 'village-cadre-hand-over-refused.png');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    handOver.getByTestId('hand-over-export').click(),
  ]);
  const backup = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.match(JSON.stringify(backup), /交接前的一次走访/, 'the unsent visit is in the backup');
  await handOver.getByTestId('hand-over-exported').waitFor();
  await handOver.getByTestId('hand-over-start').click();
  await handOver.getByTestId('hand-over-confirm').click();
  await page.waitForURL(`${server.base}/sync`);
  await page.getByTestId('enroll-form').waitFor();
  assert.deepEqual(await idb(page, {}), [], 'the outbox is wiped');
  assert.equal(await idb(page, { meta: 'device' }), null, 'the identity and token are wiped');
  assert.deepEqual(await idb(page, { kind: 'household' }), [], 'the records are wiped');
  await shot(page, 'village-cadre-handed-over.png');

  // The next user enrolls on the same browser profile: none of the last one's data.
  await context.setOffline(false);
  const invite = await api(server.base, '/api/invites', { role: 'inspector', scope: { level: 'system', id: SYSTEM }, name: '新督导员' }, seed);
  await page.goto(`${server.base}/enroll?code=${invite.code}`);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: 20000 });
  assert.deepEqual(await idb(page, { kind: 'household' }), [], 'an inspector holds no household data');
  assert.deepEqual(await idb(page, { kind: 'visit' }), [], 'nor the last user\'s visit');
  assert.deepEqual(await idb(page, {}), [], 'nor their unsent change');
  await tab(page, '我的');
  await page.getByTestId('who-am-i').filter({ hasText: '新督导员' }).waitFor();
});

test('installing: Chromium reports no installability error; WeChat\'s browser gets the banner', async () => {
  const { page } = await byRole.office();
  await page.goto(`${server.base}/me`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'installable');
  await cdp.detach();
  // Chromium offers installing: the kept event became the button.
  await page.getByTestId('install-button').waitFor();
  await shot(page, 'office-install-button.png');

  // iOS Safari has no install event: 我的 gives the steps with the share icon.
  const iphone = await launchPhone({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  phones.push({ context: iphone });
  const ios = await enrolledPhone(server, seed, iphone, { role: 'office', scope: { level: 'city' }, name: '苹果手机', problems });
  await ios.goto(`${server.base}/me`);
  await ios.getByTestId('install-ios').filter({ hasText: '添加到主屏幕' }).waitFor();
  await shot(ios, 'iphone-install-steps.png');

  const wechat = await launchPhone({
    userAgent: 'Mozilla/5.0 (Linux; Android 12; V2049A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 NetType/WIFI Language/zh_CN',
  });
  phones.push({ context: wechat });
  const inApp = wechat.pages()[0] ?? (await wechat.newPage());
  await inApp.goto(server.base);
  const banner = inApp.getByTestId('in-app-browser');
  await banner.waitFor();
  assert.match(await banner.textContent(), /右上角 ··· → 在浏览器打开/);
  // The app still works there, online.
  await inApp.getByTestId('page-spot-checks').waitFor();
  await tab(inApp, '同步');
  await inApp.getByTestId('page-sync').waitFor();
  await shot(inApp, 'wechat-banner.png');
});

test('a revoked phone is told so and keeps its unsent records for export', async () => {
  const { page, context } = await byRole['branch-cadre']();
  await context.setOffline(true);
  await tab(page, '结对帮扶');
  await page.getByTestId('household-row').first().click();
  await page.getByRole('link', { name: '修改登记卡' }).click();
  await page.getByLabel('家庭人口').fill('6');
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.getByTestId('unsent-badge').filter({ hasText: '1' }).waitFor();
  const { device_id: device } = await idb(page, { meta: 'device' });
  const revoked = await fetch(`${server.base}/api/devices/${device}/revoke`, {
    method: 'POST', headers: { authorization: `Bearer ${seed}` },
  });
  assert.equal(revoked.status, 204);
  await context.setOffline(false);
  await tab(page, '我的');
  await page.getByTestId('revoked').waitFor({ timeout: 30000 });
  assert.equal((await idb(page, {})).length, 1, 'the unsent change is kept');
  await page.getByTestId('hand-over-export').waitFor();
  await shot(page, 'branch-cadre-revoked.png');
});
