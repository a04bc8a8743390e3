// Shared steps of the end-to-end tests: what a user does on a phone (enroll,
// change tab, sync now) and what the office does over the API (read the
// one-time admin code, call an endpoint, read the server's change log), plus
// a look into the phone's own IndexedDB. One copy, so a changed label or
// endpoint is fixed in one place.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** A fixed, valid UUIDv7 for seeded records: `uuid(0x751)`. */
export const uuid = (n) => `01930000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** The one-time administrator code the server writes on its first start. */
export async function adminCode(dataDir) {
  const file = path.join(dataDir, 'admin-code.txt');
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(file)) {
      const code = fs.readFileSync(file, 'utf8').trim();
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${file}`);
}

/** Calls the server's JSON API (GET without a body) and expects 200. */
export async function api(base, pathname, body, token) {
  const res = await fetch(`${base}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `${pathname}: ${JSON.stringify(json)}`);
  return json;
}

/** Every change of the server's log that `token`'s scope may read, in order. */
export async function serverLog(base, token) {
  const all = [];
  let cursor = 0;
  for (;;) {
    const pulled = await api(base, '/api/sync/pull', { cursor }, token);
    all.push(...pulled.changes.map((c) => c.change));
    cursor = pulled.cursor;
    if (!pulled.more) return all;
  }
}

/**
 * A test's work that later tests of the same file build on, run at most
 * once per file: by its own test, or first by a later test that needs its
 * state (run alone with `--test-name-pattern`, that test arranges what it
 * needs by calling it; in a full run it is already done). A step calls the
 * steps it builds on first, so every test runs alone.
 */
export function once(step) {
  let run;
  return () => (run ??= step());
}

/** Polls `check` until it holds, or fails naming `what`. */
export async function until(what, check, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Reads the app's IndexedDB in `page`: `{ meta: key }` → the parsed meta
 * value, `{ kind }` → every record of that kind (own and pulled), `{}` →
 * the outbox.
 */
export function idb(page, what) {
  return bounded(page.evaluate((what) => new Promise((resolve, reject) => {
    const open = indexedDB.open('xianfeng');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const done = (req, map) => {
        req.onsuccess = () => { resolve(map(req.result)); db.close(); };
        req.onerror = () => reject(req.error);
      };
      if (what.meta) {
        done(db.transaction('meta').objectStore('meta').get(what.meta), (v) => (v ? JSON.parse(v) : null));
      } else if (what.kind) {
        // The phone's own records, then the facts pulled a page at a time
        // (one JSON text per page in `pulled`).
        const tx = db.transaction(['records', 'pulled']);
        const own = tx.objectStore('records').index('by_kind').getAll(what.kind);
        own.onsuccess = () => {
          const pages = tx.objectStore('pulled').getAll();
          pages.onerror = () => reject(pages.error);
          pages.onsuccess = () => {
            const ids = new Set(own.result.map((r) => r.id));
            const pulled = pages.result.flatMap((text) => JSON.parse(text))
              .filter((r) => r.kind === what.kind && !ids.has(r.id));
            resolve([...own.result, ...pulled]);
            db.close();
          };
        };
        own.onerror = () => reject(own.error);
      } else {
        done(db.transaction('outbox').objectStore('outbox').getAll(), (v) => v);
      }
    };
  }), what), `reading IndexedDB ${JSON.stringify(what)}`);
}

/**
 * `promise`, or a failure naming `what` after `ms`: a page call that never
 * answers (an IndexedDB open left waiting, a hung renderer) must fail the
 * test that made it, not hang the whole run.
 */
export async function bounded(promise, what, ms = 60_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the service worker has installed, i.e. stored the whole app
 * and every lazily loaded part: from then on every screen opens offline.
 * A user's "one online visit"; steps that enroll a phone end with it, so
 * a test may go offline right after.
 */
export async function offlineReady(page) {
  await bounded(page.evaluate(() => navigator.serviceWorker.ready.then(() => true)), 'the service worker installing', 30_000);
}

/** The device token the app stored when it enrolled. */
export async function deviceToken(page) {
  return (await idb(page, { meta: 'device' })).token;
}

/** Taps a tab of the main navigation. */
export async function tab(page, name) {
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name, exact: true }).click();
}

/** Enrolls on the enrollment form already on screen; waits for the first sync. */
export async function enroll(page, code, deviceName) {
  await page.getByTestId('enroll-form').waitFor();
  await page.getByLabel('登记码').fill(code);
  await page.getByLabel('设备名称').fill(deviceName);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: 20000 });
  await offlineReady(page);
}

/** 立即同步 on the 同步 tab until nothing is unsent and no error shows; then goes to `back`. */
export async function syncNow(page, back) {
  await tab(page, '同步');
  await page.getByTestId('sync-status').waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  await page.getByRole('button', { name: '立即同步' }).click();
  await page.getByTestId('unsent').filter({ hasText: /^0 条$/ }).waitFor({ timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  assert.equal(await page.getByTestId('sync-error').count(), 0, await page.getByTestId('sync-status').textContent());
  if (back) await page.goto(back);
}

/**
 * Fails if the page is wider than the phone's screen (the 360–390 px
 * layout broke). Compared with the viewport's width, not `innerWidth`: a
 * mobile browser widens its layout viewport (zooms out) to fit what
 * overflows, so `innerWidth` grows with the problem it should reveal.
 */
export async function noSidewaysScroll(page, what) {
  const { width } = page.viewportSize();
  const wide = await page.evaluate((width) => {
    // Inside a box that scrolls sideways on its own (a wide table): the box counts, not its content.
    const scrolls = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => !scrolls(e) && e.getBoundingClientRect().right + window.scrollX > width + 0.5);
    // The culprits: overflowing elements with no overflowing child.
    const leaves = over.filter((e) => !over.some((o) => o !== e && e.contains(o)));
    const name = (e) => `${e.tagName.toLowerCase()}${[...e.classList].map((c) => `.${c}`).join('')} “${e.textContent.trim().slice(0, 20)}”`;
    return { scroll: document.documentElement.scrollWidth, over: leaves.length, widest: leaves.slice(0, 3).map(name).join(', ') };
  }, width);
  // Fixed bars (the tab bar) add nothing to scrollWidth: hence the elements too.
  assert.ok(wide.scroll <= width && wide.over === 0,
    `${what}: ${wide.scroll} px wide on a ${width} px screen; past the edge: ${wide.widest}`);
}

/** Every element of `locator` is at least 48 × 48 CSS px. */
export async function tapTargets(locator, what) {
  for (const box of await locator.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
    assert.ok(box.height >= 48 && box.width >= 48, `${what}: tap target ${JSON.stringify(box)}`);
  }
}

/** Collects page errors and CSP refusals of `page` into `problems`. */
export function watchProblems(page, name, problems) {
  page.on('pageerror', (err) => problems.push(`${name}: pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`${name}: ${msg.text()}`);
  });
}

/** 巡察: starts a check at `unit` from the section home (`screenshot`: a path for the filled form). */
export async function startCheck(page, unit, mode, screenshot) {
  await tab(page, '巡察');
  await page.getByTestId('start-check').click();
  await page.getByTestId('page-start-check').waitFor();
  await page.getByLabel('搜索单位').fill(unit.slice(1, 3));
  await page.getByRole('radio', { name: unit, exact: true }).check();
  await page.getByRole('radio', { name: mode, exact: true }).check();
  assert.match(await page.getByLabel('时间').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.getByRole('button', { name: '开始检查' }).click();
  await page.getByTestId('page-check').waitFor();
  await page.getByTestId('member-list').waitFor();
}

/** 巡察: taps a member's mark (e.g. `李秀英 未佩戴`) and waits until it is stored. */
export async function mark(page, label) {
  const list = page.getByTestId('member-list');
  const before = Number(await list.getAttribute('data-persisted'));
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=member-list]').dataset.persisted) > n,
    before,
  );
}

/**
 * Enrolls a seeding device with the admin code and pushes `records`
 * (`[kind, id, fields]`, mutable records) as its changes 1, 2, 3…
 * Resolves to the administrator's token.
 */
export async function seedOrg(server, records) {
  const admin = await api(server.base, '/api/enroll', { code: await adminCode(server.dataDir), device_name: 'seed' });
  await api(server.base, '/api/sync/push', { changes: setChanges(admin.device_id, records, 1_700_000_000_001) }, admin.token);
  return admin.token;
}

/** A device's changes 1, 2, 3… setting `records` (`[kind, id, fields]`), clocked from `wall`. */
function setChanges(device, records, wall = Date.now()) {
  return records.map(([kind, id, fields], i) => ({
    schema: 1, seq: i + 1, kind, id, op: 'set', fields,
    hlc: { wall: wall + i, counter: 0, device },
  }));
}

/**
 * Another office phone, enrolled through an invite made with `token`,
 * pushes `records` (`[kind, id, fields]`) to the server.
 */
export async function pushFromAnotherPhone(server, token, records) {
  const invite = await api(server.base, '/api/invites', { role: 'office', scope: { level: 'city' }, name: '另一部手机' }, token);
  const other = await api(server.base, '/api/enroll', { code: invite.code, device_name: '另一部手机' });
  await api(server.base, '/api/sync/push', { changes: setChanges(other.device_id, records) }, other.token);
}

/**
 * A new phone enrolled through an invite link for `role` and `scope`;
 * resolves to its page. With `problems`, its page errors are collected.
 */
export async function enrolledPhone(server, adminToken, context, { role, scope, name, problems }) {
  const invite = await api(server.base, '/api/invites', { role, scope, name }, adminToken);
  const page = context.pages()[0] ?? (await context.newPage());
  if (problems) watchProblems(page, name, problems);
  await page.goto(`${server.base}/enroll?code=${invite.code}`);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: 20000 });
  await offlineReady(page);
  return page;
}

/** The demo server's enrollment link for `role` (office, inspector, cadre), on `base`. */
export function demoLink(dataDir, base, role) {
  const lines = fs.readFileSync(path.join(dataDir, 'demo-links.txt'), 'utf8').split('\n');
  const found = lines.find((l) => l.startsWith(`${role} `));
  assert.ok(found, `a ${role} link`);
  return found.slice(role.length + 1).trim().replace(/^https?:\/\/[^/]+/, base);
}

/**
 * Opens an enrollment link and enrolls; waits for the first sync.
 * `afterWorker`: tap 登记 only once the service worker controls the page.
 */
export async function enrollByLink(page, url, { afterWorker = false } = {}) {
  await page.goto(url);
  await page.getByTestId('enroll-form').waitFor();
  // As a person reading the form gives the worker time to take over.
  if (afterWorker) await bounded(page.waitForFunction(() => navigator.serviceWorker.controller !== null).then(() => true), 'the service worker taking over', 30_000);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: 30000 });
  await offlineReady(page);
}

/**
 * The phone's own IndexedDB as a save leaves it: `records` (the `records`
 * store: what this phone wrote, and confirmed states), `outbox` (in `seq`
 * order) and `nextSeq` (meta `next_seq`).
 */
export function localState(page) {
  return bounded(page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('xianfeng');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['records', 'outbox', 'meta']);
      const records = tx.objectStore('records').getAll();
      const outbox = tx.objectStore('outbox').getAll();
      const next = tx.objectStore('meta').get('next_seq');
      tx.oncomplete = () => {
        db.close();
        resolve({
          records: records.result,
          outbox: outbox.result.sort((a, b) => a.seq - b.seq),
          nextSeq: next.result === undefined ? 1 : JSON.parse(next.result),
        });
      };
      tx.onerror = () => reject(tx.error);
    };
  })), 'reading the database');
}

/** JSON with object keys sorted (facts compared by content). */
const canonical = (v) => JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/**
 * Fails unless every save in `state` (from `localState`) is whole: each
 * outbox entry has its record (a fact with the same content), each record
 * not yet confirmed has its outbox entry, and the outbox is numbered
 * without a gap up to `next_seq` (the server refuses a gap).
 */
export function assertWhole(state, what) {
  const byKey = new Map(state.records.map((r) => [`${r.kind}/${r.id}`, r]));
  const queued = new Set(state.outbox.map((c) => `${c.kind}/${c.id}`));
  for (const c of state.outbox) {
    const r = byKey.get(`${c.kind}/${c.id}`);
    assert.ok(r, `${what}: outbox entry ${c.seq} (${c.kind}) has no record`);
    if (c.op === 'insert') assert.equal(canonical(r.fact), canonical(c.record), `${what}: ${c.kind} ${c.id} as queued`);
  }
  for (const r of state.records.filter((r) => !r.confirmed)) {
    assert.ok(queued.has(`${r.kind}/${r.id}`), `${what}: ${r.kind} ${r.id} written without its outbox entry`);
  }
  state.outbox.forEach((c, i) => {
    if (i > 0) assert.equal(c.seq, state.outbox[i - 1].seq + 1, `${what}: outbox numbered without a gap`);
  });
  if (state.outbox.length) assert.equal(state.nextSeq, state.outbox.at(-1).seq + 1, `${what}: next_seq follows the outbox`);
}

/**
 * The org the fault tests record against: 教育系统 › 市教育局 › 机关党支部
 * with the members `names`, 第一督导组 and its inspector 刘林恒, and the
 * office's own inspector record 办公室 (so the office's phone, enrolled as
 * 办公室, is recognised by name and its checks write one fact each).
 * Resolves to the administrator's token; ids as in `ORG`.
 */
export const ORG = {
  system: uuid(0x501), unit: uuid(0x511), branch: uuid(0x521), group: uuid(0x531), inspector: uuid(0x541),
  office: uuid(0x542), member: (i) => uuid(0x600 + i),
};
export const MEMBER_NAMES = [
  '王建国', '李秀英', '张伟', '刘芳', '陈静', '杨磊', '赵敏', '黄勇', '周强', '吴霞',
  '徐明', '孙丽', '胡军', '朱红', '高峰', '林涛', '何平', '郭亮', '马超', '罗兰',
];
export function seedUnitOrg(server, names = MEMBER_NAMES) {
  return seedOrg(server, [
    ['system', ORG.system, { name: '教育系统' }],
    ['unit', ORG.unit, { system: ORG.system, name: '市教育局' }],
    ['branch', ORG.branch, { unit: ORG.unit, name: '机关党支部' }],
    ...names.map((name, i) => ['member', ORG.member(i), { name, branch: ORG.branch, post_type: 'management', status: 'in_post' }]),
    ['inspection_group', ORG.group, { name: '第一督导组', system: ORG.system, units: [ORG.unit] }],
    ['inspector', ORG.inspector, { name: '刘林恒', group: ORG.group }],
    ['inspector', ORG.office, { name: '办公室' }],
  ]);
}

/** The office's phone, enrolled (city scope) in a fresh or given profile. */
export async function officePhone(server, admin, context) {
  return enrolledPhone(server, admin, context, { role: 'office', scope: { level: 'city' }, name: '办公室' });
}

/** Each value of `ids` once, or fails naming `what`. */
export function assertOnce(ids, what) {
  const seen = new Set();
  for (const id of ids) {
    assert.ok(!seen.has(id), `${what}: ${id} twice`);
    seen.add(id);
  }
  return seen;
}

/** The id of the first record of `kind` on the phone that `pick` accepts. */
async function firstId(page, kind, pick = () => true) {
  const records = await idb(page, { kind });
  const found = records.find(pick);
  assert.ok(found, `the demo city has a ${kind}`);
  return found.id;
}

/**
 * Every route of every section, with the test id its screen shows, on a
 * phone enrolled as the demo office (it may see every section).
 */
export async function everyRoute(page) {
  const check = await firstId(page, 'spot_check');
  const miss = await firstId(page, 'observation', (r) => JSON.stringify(r.fact ?? r).includes('not_wearing'));
  const unit = await firstId(page, 'unit');
  const post = await firstId(page, 'post');
  const household = await firstId(page, 'household');
  const session = await firstId(page, 'study_session');
  const member = await firstId(page, 'member');
  const system = await firstId(page, 'system');
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

/**
 * Opens each `[route, testid]` of `list` by a page load and waits for the
 * screen's content (its test id, no loading line, no 尚未登记); resolves
 * to what failed, one line per route.
 */
export async function openEachRoute(page, base, list) {
  const failures = [];
  for (const [route, testid] of list) {
    await page.goto(base + route);
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
  return failures;
}
