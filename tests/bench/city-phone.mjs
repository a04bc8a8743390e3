// What `.ci/bench city` measures on one phone (a real headless Chromium at
// 390×844, tests/e2e/harness.mjs): the first sync, the section screens,
// taps on a big unit's check list, and the wasm memory. Timings only: no
// assertion here depends on speed, except generous timeouts so a stuck
// phone fails instead of hanging.
//
// Selectors the figures depend on (keep them when rewriting the screens):
// - enrollment: `enroll-form`, button 登记, `last-sync` showing a date;
// - each screen's "loaded" marker in SCREENS below (rendered only once the
//   screen's data is there, never by its loading placeholder);
// - the check: `start-check`, the unit's radio (its name), button 开始检查,
//   `member-list` with `data-persisted` (marks committed on this screen),
//   buttons labelled `<name> 佩戴` / `<name> 未佩戴`, `progress`.

/** Generous limits for today's slow code (the issue measured 118 s and multi-second screens). */
export const LIMITS = { firstSyncMs: 15 * 60_000, screenMs: 180_000, tapMs: 120_000, stepMs: 300_000 };

/**
 * The screens timed per role: [name, href, loaded selector, what to count
 * (logged, to show the screen had data)]. `unit` is the big unit's id.
 */
export function screens(unit) {
  return [
    ['spot_home', '/spot-checks', '[data-testid=page-spot-checks] .spot-links', '[data-testid=recent-checks] li'],
    ['rankings', '/spot-checks/rankings', '[data-testid=page-rankings] [data-testid=week-select]', '[data-testid=rank-row]'],
    ['unit', `/spot-checks/unit/${unit}`, '[data-testid=page-unit] [data-testid=unit-steps]', '[data-testid=unit-steps] li'],
    ['posts_home', '/posts', '[data-testid=page-posts] .post-actions', '[data-testid=post-list] li'],
    ['awards', '/posts/awards',
      '[data-testid=page-awards] :is([data-testid=award-system], [data-testid=awards-empty])', '[data-testid=award-system] li'],
    ['households', '/pairing',
      '[data-testid=page-pairing] :is([data-testid=household-list], [data-testid=pair-no-households], .pair-bottom)',
      '[data-testid=household-row]'],
    ['pairing_summary', '/pairing/summary',
      '[data-testid=page-pairing-summary] :is([data-testid=summary-table], [data-testid=pair-no-households])',
      '[data-testid=summary-table] tr'],
    ['study_home', '/study', '[data-testid=page-study] [data-testid=study-figures]',
      ':is([data-testid=study-units], [data-testid=study-sessions]) li'],
    ['study_unit', `/study/unit/${unit}`,
      '[data-testid=page-study-unit] :is([data-testid=two-ensures], .empty)', '[data-testid=study-member-list] li'],
    ['study_members', '/study/members', '[data-testid=page-study-members] [data-testid=study-member-list]',
      '[data-testid=study-member-list] li'],
  ];
}

/**
 * Keeps every wasm memory the page instantiates in `window.__xfWasmMemories`
 * (wrapping WebAssembly.instantiate / instantiateStreaming before any page
 * script runs), so the bench can read the memory's buffer size whatever
 * the module's name. Pages only: a module in a Web Worker is not seen
 * (then `wasmMegabytes` falls back to the JS heap and says so).
 */
export async function watchWasmMemory(context) {
  await context.addInitScript(() => {
    const keep = (result) => {
      const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
      const memory = instance?.exports?.memory;
      if (memory instanceof WebAssembly.Memory) (window.__xfWasmMemories ??= []).push(memory);
      return result;
    };
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      if (original) WebAssembly[name] = function (...args) { return original.apply(this, args).then(keep); };
    }
  });
}

/**
 * The wasm memory in MB (2^20 bytes): the byteLength of the memory's
 * buffer (wasm memory never shrinks, so this is the session's peak). If
 * no memory was seen, CDP `Runtime.getHeapUsage` (the JS heap) instead.
 */
export async function wasmMegabytes(page, cdp) {
  const bytes = await page.evaluate(() => (window.__xfWasmMemories ?? []).reduce((n, m) => n + m.buffer.byteLength, 0));
  if (bytes > 0) return { mb: bytes / 2 ** 20, how: 'wasm memory buffer' };
  const heap = await cdp.send('Runtime.getHeapUsage');
  return { mb: heap.usedSize / 2 ** 20, how: 'JS heap (Runtime.getHeapUsage): no wasm memory seen in the page' };
}

/**
 * Opens the enrollment link and enrolls; resolves to the seconds from the
 * tap on 登记 until the first sync is done (`last-sync` shows a date).
 * Logs pulled pages and changes every 10 s.
 */
export async function firstSync(page, link, { expect, log }) {
  let pages = 0;
  let changes = 0;
  const onResponse = async (res) => {
    if (!res.url().endsWith('/api/sync/pull') || res.status() !== 200) return;
    pages += 1;
    try {
      changes += (await res.json()).changes.length;
    } catch { /* the page went away */ }
  };
  page.on('response', onResponse);
  await page.goto(link);
  await page.getByTestId('enroll-form').waitFor({ timeout: LIMITS.stepMs });
  const t0 = Date.now();
  const ticker = setInterval(() => {
    log(`first sync: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${pages} pages pulled, ${changes} changes (of ~${expect} records)`);
  }, 10_000);
  try {
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByTestId('last-sync').filter({ hasText: /月.*日/ }).waitFor({ timeout: LIMITS.firstSyncMs });
  } finally {
    clearInterval(ticker);
    page.off('response', onResponse);
  }
  const seconds = (Date.now() - t0) / 1000;
  log(`first sync done in ${seconds.toFixed(1)} s: ${pages} pages, ${changes} changes`);
  return seconds;
}

/**
 * An in-app navigation, timed in the page: a link to `href` is clicked
 * (the router takes it: no page load) and the time runs until `selector`
 * is in the DOM (MutationObserver, so no polling delay). Fails if the
 * page reloaded instead.
 */
export async function navigate(page, href, selector, timeout = LIMITS.screenMs) {
  const ms = await page.evaluate(({ href, selector, timeout }) => {
    window.__xfSamePage = true;
    const link = document.createElement('a');
    link.href = href;
    link.hidden = true;
    document.body.append(link);
    return new Promise((resolve, reject) => {
      let t0 = 0;
      const found = () => {
        if (!document.querySelector(selector)) return;
        const ms = performance.now() - t0;
        watch.disconnect();
        clearTimeout(timer);
        link.remove();
        resolve(ms);
      };
      const watch = new MutationObserver(found);
      const timer = setTimeout(() => {
        watch.disconnect();
        reject(new Error(`${href}: no ${selector} after ${timeout} ms`));
      }, timeout);
      watch.observe(document.body, { childList: true, subtree: true });
      t0 = performance.now();
      link.click();
      found();
    });
  }, { href, selector, timeout });
  const same = await page.evaluate((href) => window.__xfSamePage === true && location.pathname === href, href);
  if (!same) throw new Error(`${href}: not an in-app navigation (the page reloaded or went elsewhere)`);
  return ms;
}

/**
 * A quiet moment between measurements: past the sync a write sets off
 * (2 s later), then until the main thread is idle (at most 30 s).
 */
export async function settle(page, ms = 2500) {
  await page.waitForTimeout(ms);
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 30_000 })));
}

/** Times every screen from 我的 (a screen with no data); resolves to { name: ms }. */
export async function timeScreens(page, unit, { log }) {
  const out = {};
  for (const [name, href, loaded, rows] of screens(unit)) {
    await navigate(page, '/me', '[data-testid=page-me]');
    await settle(page);
    const ms = await navigate(page, href, loaded);
    const count = await page.locator(rows).count();
    out[name] = ms;
    log(`screen ${name} (${href}): ${ms.toFixed(1)} ms, ${count} rows`);
  }
  return out;
}

/**
 * The pause after each tap: an inspector looks up at the next member, so
 * taps come about a second apart and each meets whatever the previous one
 * set off in the background (the sync 2 s after a write, screens reloading).
 * Back to back (`CITY_TAP_GAP_MS=0`), most taps would slip in before it.
 */
export const TAP_GAP_MS = Number(process.env.CITY_TAP_GAP_MS ?? 1000);

/**
 * Starts a check at `unitName` and taps its first `warmup + taps` members
 * (every tenth 未佩戴), [`TAP_GAP_MS`] apart, each timed in the page from
 * the click until the list's `data-persisted` changes (the transaction
 * committed), as tests/bench/spotcheck.bench.mjs does. Resolves to the
 * counted taps' ms.
 */
export async function timeTaps(page, { unitName, members, taps, warmup, log }) {
  await navigate(page, '/spot-checks', '[data-testid=page-spot-checks] .spot-links', LIMITS.stepMs);
  await page.getByTestId('start-check').click({ timeout: LIMITS.stepMs });
  await page.getByTestId('page-start-check').waitFor({ timeout: LIMITS.stepMs });
  await page.getByRole('radio', { name: unitName, exact: true }).check({ timeout: LIMITS.stepMs });
  await page.getByRole('button', { name: '开始检查' }).click({ timeout: LIMITS.stepMs });
  await page.getByTestId('member-list').waitFor({ timeout: LIMITS.stepMs });
  await page.getByTestId('progress').filter({ hasText: `已查 0/${members}` }).waitFor({ timeout: LIMITS.stepMs });
  const names = await page.getByTestId('member-list').evaluate((list) => [...list.querySelectorAll('button')]
    .map((b) => b.getAttribute('aria-label') ?? '')
    .filter((l) => l.endsWith(' 佩戴'))
    .map((l) => l.slice(0, -' 佩戴'.length)));
  // A scaled-down city (CITY_SCALE) may have fewer members than taps.
  const count = Math.min(warmup + taps, names.length);
  if (count <= warmup) throw new Error(`only ${names.length} members to tap in ${unitName}`);
  log(`check opened at ${unitName} (${names.length} members), tapping ${count}`);
  const times = [];
  for (let i = 0; i < count; i++) {
    const label = `${names[i]} ${i % 10 === 9 ? '未佩戴' : '佩戴'}`;
    const ms = await page.evaluate(({ label, timeout }) => {
      const list = document.querySelector('[data-testid=member-list]');
      const before = Number(list.dataset.persisted);
      const button = [...list.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === label);
      if (!button) throw new Error(`no button ${label}`);
      return new Promise((resolve, reject) => {
        let t0 = 0;
        const watch = new MutationObserver(() => {
          if (Number(list.dataset.persisted) > before) {
            watch.disconnect();
            clearTimeout(timer);
            resolve(performance.now() - t0);
          }
        });
        const timer = setTimeout(() => reject(new Error(`${label}: not persisted after ${timeout} ms`)), timeout);
        watch.observe(list, { attributes: true, attributeFilter: ['data-persisted'] });
        t0 = performance.now();
        button.click();
      });
    }, { label, timeout: LIMITS.tapMs });
    if (i >= warmup) times.push(ms);
    log(`tap ${i + 1}${i < warmup ? ' (warm-up)' : ''} ${label}: ${ms.toFixed(1)} ms`);
    await page.waitForTimeout(TAP_GAP_MS);
  }
  return times;
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/**
 * Records a study session in `unitName`'s first branch (as the office
 * may) and taps 出席 for its first `warmup + taps` members, [`TAP_GAP_MS`]
 * apart, each timed in the page from the click until the list's
 * `data-persisted` changes (the attendance fact committed). Resolves to
 * the counted taps' ms.
 */
export async function timeStudyTaps(page, { unitName, taps, warmup, log }) {
  await navigate(page, '/study/new', '[data-testid=page-study-new] [data-testid=session-form]', LIMITS.stepMs);
  const branch = page.getByRole('combobox', { name: /^支部/ });
  const value = await branch.evaluate((select, unit) => [...select.options].find((o) => o.text.startsWith(`${unit} · `))?.value, unitName);
  if (!value) throw new Error(`no branch of ${unitName} to hold a session in`);
  await branch.selectOption(value);
  await page.getByLabel('学时（小时，可带一位小数）').fill('3');
  await page.getByLabel('学习内容或主题').fill('城市测试：学习党章');
  await page.getByRole('button', { name: '保存并记考勤' }).click({ timeout: LIMITS.stepMs });
  await page.getByTestId('member-list').waitFor({ timeout: LIMITS.stepMs });
  const members = await page.getByTestId('member-list').evaluate((list) => [...list.querySelectorAll('li')].map((li) => li.dataset.member));
  const count = Math.min(warmup + taps, members.length);
  if (count <= warmup) throw new Error(`only ${members.length} members to tap in ${unitName}`);
  log(`session opened in ${unitName} (${members.length} members), tapping ${count}`);
  const times = [];
  for (let i = 0; i < count; i++) {
    const status = i % 10 === 9 ? 'absent' : 'present';
    const ms = await page.evaluate(({ member, status, timeout }) => {
      const list = document.querySelector('[data-testid=member-list]');
      const before = Number(list.dataset.persisted);
      const button = list.querySelector(`li[data-member="${member}"] button[data-status="${status}"]`);
      if (!button) throw new Error(`no ${status} button for ${member}`);
      return new Promise((resolve, reject) => {
        let t0 = 0;
        const watch = new MutationObserver(() => {
          if (Number(list.dataset.persisted) > before) {
            watch.disconnect();
            clearTimeout(timer);
            resolve(performance.now() - t0);
          }
        });
        const timer = setTimeout(() => reject(new Error(`${member}: not persisted after ${timeout} ms`)), timeout);
        watch.observe(list, { attributes: true, attributeFilter: ['data-persisted'] });
        t0 = performance.now();
        button.click();
      });
    }, { member: members[i], status, timeout: LIMITS.tapMs });
    if (i >= warmup) times.push(ms);
    log(`study tap ${i + 1}${i < warmup ? ' (warm-up)' : ''} ${status}: ${ms.toFixed(1)} ms`);
    await page.waitForTimeout(TAP_GAP_MS);
  }
  return times;
}
