// 巡察 on the demo city (`xianfeng-server --demo`): three weeks of checks
// seeded by core's demo. The demo office sees 演示数据, the weekly rankings
// of every system for this and earlier weeks, last places, and a unit's
// wearing rate over the weeks; the demo inspector is recognised by name
// and sees the quota of their group. Screenshots for newcomers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demoLink, enrollByLink, tab } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const shot = (name) => artifactPath('spot_checks', name);

let server;
let base;
let dataDir;
let office;
let inspector;
const pageErrors = [];

const link = (role) => demoLink(dataDir, base, role);

before(async () => {
  server = await startServer({ args: ['--demo'] });
  ({ base, dataDir } = server);
  office = await launchPhone();
  inspector = await launchPhone();
});

after(async () => {
  await office?.close();
  await inspector?.close();
  await server?.stop();
});

test('the demo office sees 演示数据, rankings for this and earlier weeks, and a unit’s weeks', async () => {
  const page = office.pages()[0] ?? (await office.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  assert.equal((await (await fetch(`${base}/api/health`)).json()).demo, true);
  await enrollByLink(page, link('office'));
  await page.getByTestId('demo-badge').filter({ hasText: '演示数据' }).waitFor();

  await tab(page, '巡察');
  await page.getByRole('link', { name: '排名与统计' }).click();
  const systems = page.getByTestId('system-ranking');
  await systems.first().waitFor();
  const names = await systems.locator('h3').allTextContents();
  assert.ok(names.length >= 1 && names.every((n) => /系统$/.test(n)), names.join(','));
  const weeks = await page.getByTestId('week-select').locator('option').allTextContents();
  assert.ok(weeks.length >= 3, `this and two earlier weeks: ${weeks.join(',')}`);
  for (const row of await page.getByTestId('rank-row').allTextContents()) {
    assert.match(row, /^\d.+\d+\.\d%$/);
  }
  await page.screenshot({ path: shot('20-demo-ranking.png'), fullPage: true });

  // Two weeks back: every system ranked, each with a last place.
  await page.getByTestId('week-select').selectOption({ index: 2 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=system-ranking]').length === 3);
  assert.equal(await page.locator('.spot-last').count(), 3, 'one last place per system');
  await page.screenshot({ path: shot('21-demo-ranking-earlier.png'), fullPage: true });

  await page.getByTestId('system-ranking').getByRole('link', { name: '市人民医院' }).click();
  const chart = page.getByTestId('rate-chart');
  await chart.waitFor();
  assert.ok(await chart.locator('circle').count() >= 2, 'several weeks on the chart');
  assert.match(await chart.getAttribute('aria-label'), /^市人民医院各周党徽佩戴率：/);
  const steps = await page.getByTestId('unit-steps').locator('li').allTextContents();
  assert.ok(steps.some((s) => /未佩戴\d次/.test(s)), steps.join(' | '));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow})`);
  await page.screenshot({ path: shot('22-demo-unit.png'), fullPage: true });
});

test('the demo inspector is recognised by name and sees the group’s quota', async () => {
  const page = inspector.pages()[0] ?? (await inspector.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await enrollByLink(page, link('inspector'));
  await tab(page, '巡察');
  await page.getByTestId('quota').locator('li').first().waitFor();
  assert.equal(await page.getByTestId('me-picker').count(), 0);
  const lines = await page.getByTestId('quota').locator('li').allTextContents();
  assert.deepEqual(lines.map((l) => l.replace(/\d\/2 次.*$/, '')).sort(), ['市第一中学', '市教育局'].sort());
  assert.ok((await page.getByTestId('recent-checks').getByRole('link').count()) > 0, 'the demo checks are listed');
  await page.screenshot({ path: shot('23-demo-inspector-home.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
