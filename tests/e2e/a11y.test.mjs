// Accessibility and the one-handed phone layout, screen by screen, on the
// demo city (every section has data): at 360 px wide with the phone's
// text size doubled (a large system font), no screen scrolls sideways and
// axe-core (the well-kept WCAG checker) finds no WCAG 2.x A/AA violation:
// every control labelled, AA contrast, valid ARIA, a language set.
// Screenshots at the large text size land in test-artifacts/a11y/.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { demoLink, enrollByLink, noSidewaysScroll } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const NARROW = { width: 360, height: 740 };

let server;
let context;
let page;
const problems = [];

/**
 * Screens by path; a detail page by a link (`open`, then `then` if given)
 * to follow on the screen at `from` (the one before it, so a full run does
 * not reload it).
 */
const SCREENS = [
  { name: 'spot-checks', path: '/spot-checks' },
  { name: 'spot-checks-check', from: '/spot-checks', open: 'a[href^="/spot-checks/check/"]' },
  { name: 'spot-checks-new', path: '/spot-checks/new' },
  { name: 'spot-checks-rankings', path: '/spot-checks/rankings' },
  { name: 'spot-checks-unit', from: '/spot-checks/rankings', open: 'a[href^="/spot-checks/unit/"]' },
  { name: 'spot-checks-roster', path: '/spot-checks/roster' },
  { name: 'spot-checks-roster-unit', from: '/spot-checks/roster', open: 'a[href^="/spot-checks/roster/"]' },
  { name: 'posts', path: '/posts' },
  { name: 'posts-detail', from: '/posts', open: 'a.post-row' },
  { name: 'posts-new', path: '/posts/new' },
  { name: 'posts-awards', path: '/posts/awards' },
  { name: 'posts-rubric', path: '/posts/rubric' },
  { name: 'pairing', path: '/pairing' },
  { name: 'pairing-card', from: '/pairing', open: 'a[href^="/pairing/h/"]' },
  { name: 'pairing-new', path: '/pairing/new' },
  { name: 'pairing-reports', path: '/pairing/reports' },
  { name: 'pairing-summary', path: '/pairing/summary' },
  { name: 'study', path: '/study' },
  { name: 'study-session', from: '/study', open: 'a[href^="/study/session/"]' },
  { name: 'study-new', path: '/study/new' },
  { name: 'study-members', path: '/study/members' },
  { name: 'study-member', from: '/study/members', open: 'a[href^="/study/member/"]' },
  { name: 'study-unit', from: '/study', open: 'a[href^="/study/unit/"]' },
  { name: 'study-system', from: '/study', open: 'a[href^="/study/system/"]' },
  { name: 'study-transition', path: '/study/transition' },
  { name: 'study-transition-unit', from: '/study/transition', open: 'a[href^="/study/transition/"]' },
  { name: 'study-review', from: '/study/transition', open: 'a[href^="/study/transition/"]', then: 'a[href$="/review"]' },
  { name: 'study-settings', path: '/study/settings' },
  { name: 'sync', path: '/sync' },
  { name: 'me', path: '/me' },
];

before(async () => {
  server = await startServer({ args: ['--demo'] });
  // bypassCSP only lets the test inject axe and the text-size style; the
  // app's CSP itself is checked in shell.test.mjs.
  context = await launchPhone({ viewport: NARROW, bypassCSP: true, timezoneId: 'Asia/Shanghai' });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await enrollByLink(page, demoLink(server.dataDir, server.base, 'office'));
  // A large system font: the phone's default text size doubled on every
  // document (the app's sizes are in rem, as Android's font scale expects).
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = 'html { font-size: 200% !important; }';
      document.head.append(style);
    });
  });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** Waits until the screen's data has loaded (no 正在读取… left). */
async function settled() {
  await page.locator('section.page').first().waitFor();
  await page.waitForFunction(() => !document.body.textContent.includes('正在读取'));
}

/** The root element's font size in CSS px (1rem). */
const rootFontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

/** axe-core's WCAG 2.x A and AA violations on the current screen. */
async function violations() {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n')[1] ?? ''}`),
    }));
  });
}

test('the check itself works: axe finds an unlabelled button', async () => {
  await page.goto(`${server.base}/me`);
  await settled();
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'probe' })));
  assert.ok((await violations()).some((v) => v.id === 'button-name'), 'axe ran and saw the unnamed button');
  await page.evaluate(() => document.getElementById('probe').remove());
});

test('the root font size is doubled (a large system font)', async () => {
  await page.goto(`${server.base}/me`);
  await settled();
  assert.equal(await rootFontSize(), 32);
});

for (const screen of SCREENS) {
  test(`${screen.name}: no sideways scrolling at 360 px with large text, no WCAG A/AA violation`, async () => {
    if (screen.path) {
      await page.goto(`${server.base}${screen.path}`);
    } else {
      if (new URL(page.url()).pathname !== screen.from) {
        await page.goto(`${server.base}${screen.from}`);
        await settled();
      }
      const link = page.locator(screen.open).first();
      await link.waitFor();
      await link.click();
      if (screen.then) {
        await settled();
        const next = page.locator(screen.then).first();
        await next.waitFor();
        await next.click();
      }
    }
    await settled();
    assert.equal(await rootFontSize(), 32, 'the large text size holds');
    await page.screenshot({ path: artifactPath('a11y', `${screen.name}.png`), fullPage: true });
    await noSidewaysScroll(page, screen.name);
    assert.deepEqual(await violations(), [], screen.name);
  });
}

test('no page errors', () => {
  assert.deepEqual(problems, []);
});
