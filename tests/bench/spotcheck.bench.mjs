// Benchmark group `spotcheck` (`.ci/bench spotcheck`): how long one tap on
// the member list takes until its observation is committed in IndexedDB.
//
// Real server, real headless Chromium at 390×844 (the e2e harness): a phone
// enrols, adds a system and a unit, imports a 210-member roster through the
// CSV import, lets the import sync, opens a check at the unit and taps each
// member once (every tenth 未佩戴, which also computes the ladder). Each tap
// is timed inside the page: from the button's click to the list's
// `data-persisted` attribute changing, which the screen sets right after the
// transaction's `complete` event (MutationObserver, so no polling delay).
// The first 10 taps warm up and are not counted; the next 200 are.
// Prints exactly two METRIC lines; progress goes to stderr.
//
// Env: XIANFENG_APP_DIR, XIANFENG_SERVER_BIN (see tests/e2e/harness.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { launchPhone, startServer } from '../e2e/harness.mjs';

const WARMUP = 10;
const TAPS = 200;
const MEMBERS = WARMUP + TAPS;

const log = (...args) => console.error('[spotcheck bench]', ...args);
const name = (i) => `党员${String(i + 1).padStart(3, '0')}`;

async function adminCode(dataDir) {
  const file = path.join(dataDir, 'admin-code.txt');
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file)) {
      const code = fs.readFileSync(file, 'utf8').trim();
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${file}`);
}

async function tab(page, label) {
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: label, exact: true }).click();
}

async function waitSynced(page) {
  await tab(page, '同步');
  await page.getByTestId('unsent').filter({ hasText: /^0 条$/ }).waitFor({ timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 120000 });
}

function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const server = await startServer();
const context = await launchPhone();
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => log('page error:', err.message));

  await page.goto(`${server.base}/sync`);
  await page.getByLabel('登记码').fill(await adminCode(server.dataDir));
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: 30000 });
  log('enrolled');

  await tab(page, '巡察');
  await page.getByRole('link', { name: '名册管理' }).click();
  const note = page.getByTestId('roster-note');
  await page.getByLabel('系统名称').fill('测试系统');
  await page.getByRole('button', { name: '添加系统' }).click();
  await note.filter({ hasText: '已添加：测试系统' }).waitFor();
  const unitForm = page.getByTestId('add-unit');
  await unitForm.getByLabel('单位名称').fill('测试单位');
  await unitForm.getByRole('button', { name: '添加单位' }).click();
  await note.filter({ hasText: '已添加：测试单位' }).waitFor();

  await page.getByTestId('roster-units').getByRole('link', { name: /测试单位/ }).click();
  const csv = ['姓名,支部,岗位类型', ...Array.from({ length: MEMBERS }, (_, i) => `${name(i)},第${(i % 4) + 1}支部,管理岗位`)].join('\n');
  await page.getByTestId('roster-file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('confirm-import').click();
  await page.getByTestId('roster-note').filter({ hasText: `已导入 ${MEMBERS} 名党员` }).waitFor({ timeout: 120000 });
  log(`imported ${MEMBERS} members`);
  await waitSynced(page);

  await tab(page, '巡察');
  await page.getByTestId('start-check').click();
  await page.getByRole('radio', { name: '测试单位', exact: true }).check();
  await page.getByRole('button', { name: '开始检查' }).click();
  await page.getByTestId('member-list').waitFor();
  await page.getByTestId('progress').filter({ hasText: `已查 0/${MEMBERS}` }).waitFor();
  log('check opened');

  const times = [];
  for (let i = 0; i < MEMBERS; i++) {
    const label = `${name(i)} ${i % 10 === 9 ? '未佩戴' : '佩戴'}`;
    const ms = await page.evaluate((label) => {
      const list = document.querySelector('[data-testid=member-list]');
      const before = Number(list.dataset.persisted);
      const button = [...list.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === label);
      if (!button) throw new Error(`no button ${label}`);
      return new Promise((resolve) => {
        let t0 = 0;
        const watch = new MutationObserver(() => {
          if (Number(list.dataset.persisted) > before) {
            watch.disconnect();
            resolve(performance.now() - t0);
          }
        });
        watch.observe(list, { attributes: true, attributeFilter: ['data-persisted'] });
        t0 = performance.now();
        button.click();
      });
    }, label);
    if (i >= WARMUP) times.push(ms);
  }
  const persisted = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('xianfeng');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('records').objectStore('records').index('by_kind').count('observation');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    };
  }));
  if (persisted !== MEMBERS) throw new Error(`expected ${MEMBERS} observations in IndexedDB, found ${persisted}`);
  times.sort((a, b) => a - b);
  log(`${times.length} taps, min ${times[0].toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms`);
  console.log(`METRIC spotcheck_tap_to_persisted_ms_p50 ${percentile(times, 50).toFixed(2)} ms`);
  console.log(`METRIC spotcheck_tap_to_persisted_ms_p95 ${percentile(times, 95).toFixed(2)} ms`);
} finally {
  await context.close();
  await server.stop();
}
