// Issue 4 (phone side): a phone enrolls through the 同步 tab with the
// server's one-time administrator code, syncs, and shows 未同步 0 and a
// 上次同步 time; the invite link fills the code in; a backup downloads
// without the token and imports back without duplicates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { adminCode, once } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

let server;
let context;
let page;
const pageErrors = [];

before(async () => {
  server = await startServer();
  context = await launchPhone({ acceptDownloads: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

after(async () => {
  await context?.close();
  await server?.stop();
});

test('an invite link fills the code in; a wrong code is refused in Chinese', async () => {
  await page.goto(`${server.base}/enroll?code=ABCD-EFGH-JKMN`);
  await page.getByTestId('enroll-form').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sync');
  const code = page.getByLabel('登记码');
  assert.equal(await code.inputValue(), 'ABCD-EFGH-JKMN');
  assert.equal(await code.getAttribute('autocapitalize'), 'characters');
  assert.equal(await page.getByLabel('设备名称').inputValue(), '我的手机');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: '登记码无效、已使用或已过期' }).waitFor();
  await page.screenshot({ path: artifactPath('sync', '1-invalid-code.png'), fullPage: true });
});

const enrolled = once(async () => {
  const code = await adminCode(server.dataDir);
  await page.goto(server.base);
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '同步' }).click();
  await page.getByTestId('enroll-form').waitFor();
  await page.getByLabel('登记码').fill(code.toLowerCase());
  await page.getByLabel('设备名称').fill('办公室的电脑');
  await page.getByRole('button', { name: '登记', exact: true }).click();

  const status = page.getByTestId('sync-status');
  await status.waitFor();
  assert.equal(await page.getByTestId('role').textContent(), '办公室');
  assert.equal(await page.getByTestId('scope').textContent(), '全市');
  await page.getByTestId('last-sync').filter({ hasText: /^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/ }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('unsent').textContent(), '0 条');
  assert.equal(await page.getByTestId('sync-error').count(), 0, 'no error after a good sync');
  assert.equal(await page.getByTestId('enroll-form').count(), 0, 'the form is gone once enrolled');
  assert.match(await page.getByTestId('persistence').textContent(), /^(已获得持久存储|未获得持久存储（浏览器可能清理数据）)$/);

  // 立即同步 runs another session.
  const syncNow = page.getByRole('button', { name: '立即同步' });
  await syncNow.click();
  await syncNow.waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  assert.equal(await page.getByTestId('sync-error').count(), 0);

  // Tap targets and a 360 px screen.
  for (const control of await page.locator('[data-testid=page-sync] .btn').all()) {
    const box = await control.boundingBox();
    assert.ok(box.height >= 48 && box.width >= 48, `tap target ${JSON.stringify(box)}`);
  }
  await page.setViewportSize({ width: 360, height: 780 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 360 px (${overflow})`);
  await page.screenshot({ path: artifactPath('sync', '2-enrolled.png'), fullPage: true });

  // The identity survives a reload; the phone syncs again at start.
  await page.reload();
  await page.getByTestId('sync-status').waitFor();
  assert.equal(await page.getByTestId('device-name').textContent(), '先教办管理员');
  assert.match(await page.getByTestId('last-sync').textContent(), /月.*日/);
});
test('a phone enrolls on the 同步 tab, syncs, and shows 未同步 0 and the last sync', () => enrolled());

test('a backup downloads without the token and imports back without duplicates', async () => {
  await enrolled();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出备份' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^xianfeng-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const file = artifactPath('sync', download.suggestedFilename());
  await download.saveAs(file);
  const text = fs.readFileSync(file, 'utf8');
  const backup = JSON.parse(text);
  assert.equal(backup.format, 'xianfeng-backup');
  assert.equal(backup.meta.device.role, 'office');
  assert.ok(!('token' in backup.meta.device), 'no token in a backup');
  await page.getByTestId('backup-note').filter({ hasText: '备份文件已导出' }).waitFor();

  await page.getByLabel('导入备份').setInputFiles(file);
  const n = backup.records.length;
  await page.getByTestId('backup-note').filter({ hasText: `导入 0 条，跳过 ${n} 条，待上传 0 条` }).waitFor();
  assert.equal(await page.getByTestId('unsent').textContent(), '0 条');
  await page.screenshot({ path: artifactPath('sync', '3-backup.png'), fullPage: true });
});

test('an unsent change from a backup is pushed, acknowledged and pulled back', async () => {
  await enrolled();
  // A backup from a phone whose new record never reached the server.
  const id = '01930000-0000-7000-8000-0000000000e1';
  const backup = {
    format: 'xianfeng-backup', version: 1, exported_at: Date.now(), meta: {},
    records: [{ kind: 'system', id, state: { fields: {} }, confirmed: false }],
    outbox: [{
      schema: 1, seq: 7, kind: 'system', id,
      hlc: { wall: Date.now(), counter: 0, device: '01930000-0000-7000-8000-0000000000d1' },
      op: 'set', fields: { name: '教育系统' },
    }],
  };
  const file = artifactPath('sync', 'unsent-backup.json');
  fs.writeFileSync(file, JSON.stringify(backup));
  await page.getByLabel('导入备份').setInputFiles(file);
  await page.getByTestId('backup-note').filter({ hasText: '导入 1 条，跳过 0 条，待上传 1 条' }).waitFor();
  // The import starts a session: the change goes out and is acknowledged.
  await page.getByTestId('unsent').filter({ hasText: /^0 条$/ }).waitFor({ timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  assert.equal(await page.getByTestId('sync-error').count(), 0, await page.locator('main').textContent());
  // Importing it again adds nothing.
  await page.getByLabel('导入备份').setInputFiles(file);
  await page.getByTestId('backup-note').filter({ hasText: '导入 0 条，跳过 1 条，待上传 0 条' }).waitFor();
  assert.equal(await page.getByTestId('unsent').textContent(), '0 条');
  assert.deepEqual(pageErrors, []);
});
