// Issue 7 (结对帮扶), end to end at 390×844 against the real server: the
// office phone, offline, registers a household card (bad input refused next
// to the field), pairs it with a member, logs a visit, three support items
// and a dispute resolved, and writes and submits the member's situation
// report; after sync a branch cadre's phone (the unit's party organisation)
// approves it; the summary shows the right totals as a sentence, a table, a
// chart and a CSV file. A village cadre's phone sees the card (the contact
// masked in the list, whole on the card; of the paired member, whose branch
// lies outside the village, only the name and unit: issue 16); an inspector's
// phone sees no household data. Two village cadres edit the same card
// offline: different fields both survive, the same field is a conflict the
// office sees. Screenshots land in test-artifacts/pairing/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { enrolledPhone, noSidewaysScroll, once, seedOrg, serverLog, syncNow, uuid as id } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const SYSTEM = id(0x751);
const UNIT = id(0x761);
const BRANCH = id(0x771);
const WRITER = id(0x791);
const SECRETARY = id(0x792);
const VILLAGE = id(0x7b1);
const GROUP = id(0x7a1);

let server;
let seed; // the administrator's token: seeds the org chart, makes invites, reads the log
const phones = [];
let office;
let householdUrl;
const problems = [];

/** A new phone enrolled through the invite link for `role` and `scope`. */
async function phone(name, role, scope) {
  const context = await launchPhone({ timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await enrolledPhone(server, seed, context, { role, scope, name, problems });
  const p = { name, context, page };
  phones.push(p);
  return p;
}

/** Syncs now through the 同步 tab until nothing is unsent, then goes to `back`. */
const sync = ({ page }, back) => syncNow(page, back);

async function shot({ page }, name) {
  await noSidewaysScroll(page, name);
  await page.screenshot({ path: artifactPath('pairing', name), fullPage: true });
}

before(async () => {
  server = await startServer();
  seed = await seedOrg(server, [
    ['system', SYSTEM, { name: '教育系统' }],
    ['unit', UNIT, { system: SYSTEM, name: '市教育局' }],
    ['branch', BRANCH, { unit: UNIT, name: '机关支部' }],
    ['member', WRITER, { name: '王强', branch: BRANCH, post_type: 'management', status: 'in_post' }],
    ['member', SECRETARY, { name: '李梅', branch: BRANCH, post_type: 'leadership', status: 'in_post' }],
    ['village', VILLAGE, { name: '红旗村', township: '城关镇', work_team: UNIT }],
    ['inspection_group', GROUP, { name: '第一督导组', system: SYSTEM, units: [UNIT] }],
  ]);
  office = await phone('先教办', 'office', { level: 'city' });
});

after(async () => {
  for (const p of phones) await p.context.close();
  await server?.stop();
});

const registerCard = once(async () => {
  const { page, context } = office;
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '结对帮扶' }).click();
  await page.getByTestId('page-pairing').waitFor();
  await page.getByText('还没有结对帮扶登记卡。').waitFor();
  await context.setOffline(true);
  await page.getByTestId('network-status').filter({ hasText: '离线' }).waitFor();
  await page.getByRole('link', { name: '新建登记卡' }).click();
  await page.getByTestId('card-form').waitFor();
  assert.equal(await page.getByLabel('所在村').inputValue(), VILLAGE, 'the only village is chosen');
  await page.getByLabel('户主').fill('赵大山');
  await page.getByLabel('家庭人口').fill('4');
  await page.getByLabel('低保').check();
  await page.getByRole('button', { name: '保存登记卡' }).click();
  await page.getByRole('alert').filter({ hasText: '致贫原因至少要有一项' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/pairing/new', 'nothing stored, still on the form');
  await page.getByLabel('因病').check();
  await page.getByLabel('缺劳力').check();
  await page.getByLabel('联系方式（可不填）').fill('13812345678');
  await shot(office, '1-new-card.png');
  await page.getByRole('button', { name: '保存登记卡' }).click();
  await page.waitForURL(/\/pairing\/h\/[0-9a-f-]{36}$/);
  householdUrl = new URL(page.url()).pathname;
  assert.equal(await page.getByTestId('card-village').textContent(), '红旗村');
  assert.equal(await page.getByTestId('card-causes').textContent(), '因病、缺劳力');
  assert.equal(await page.getByTestId('contact-full').textContent(), '13812345678');
  assert.equal(await page.getByTestId('card-paired').textContent(), '尚未结对');
  await page.getByRole('link', { name: '结对', exact: true }).waitFor();
});
test('offline, the office registers a card; bad input is refused next to the field', () => registerCard());

const pairAndRecord = once(async () => {
  await registerCard();
  const { page } = office;
  await page.getByRole('link', { name: '结对', exact: true }).click();
  await page.getByTestId('pair-form').waitFor();
  await page.getByLabel('结对党员').selectOption({ label: '王强' });
  await page.getByRole('button', { name: '保存结对' }).click();
  await page.waitForURL(`${server.base}${householdUrl}`);
  await page.getByTestId('card-paired').filter({ hasText: /^王强（\d{4}-\d{2}-\d{2}起）$/ }).waitFor();

  await page.getByRole('link', { name: '记录走访' }).click();
  await page.getByTestId('visit-form').waitFor();
  assert.equal(await page.locator('#visit-member option:checked').textContent(), '王强', 'the paired member by default');
  await page.getByLabel('了解到的情况').fill('老人患慢性病，家中缺劳力');
  await page.getByLabel('反映的问题').fill('希望解决春耕化肥和种苗');
  await shot(office, '2-visit.png');
  await page.getByRole('button', { name: '保存走访' }).click();
  await page.waitForURL(`${server.base}${householdUrl}`);

  const support = async (kind, fill) => {
    await page.getByRole('link', { name: '记录帮扶' }).click();
    await page.getByTestId('support-form').waitFor();
    await page.getByLabel(kind, { exact: true }).check();
    await fill();
    await page.getByRole('button', { name: '保存帮扶' }).click();
    await page.waitForURL(`${server.base}${householdUrl}`);
  };
  // A bad amount is refused next to the field; nothing is stored.
  await page.getByRole('link', { name: '记录帮扶' }).click();
  await page.getByLabel('金额（元）').fill('五百');
  await page.getByLabel('说明', { exact: false }).fill('春节慰问金');
  await page.getByRole('button', { name: '保存帮扶' }).click();
  await page.getByRole('alert').filter({ hasText: '金额的取值“五百”无法识别' }).waitFor();
  await shot(office, '3-support-refused.png');
  assert.match(new URL(page.url()).pathname, /\/support$/);
  await page.goBack();
  await page.waitForURL(`${server.base}${householdUrl}`);
  await support('资金', async () => {
    await page.getByLabel('金额（元）').fill('500');
    await page.getByLabel('说明', { exact: false }).fill('春节慰问金');
  });
  await support('物资', async () => {
    await page.getByLabel('物资折价（元）').fill('300.50');
    await page.getByLabel('说明', { exact: false }).fill('化肥两袋、大米一袋');
  });
  await support('生产扶持', async () => {
    await page.getByLabel('产业结构调整面积（亩，可不填）').fill('12.5');
    await page.getByLabel('说明', { exact: false }).fill('调整种植结构，改种蔬菜');
  });
  await page.getByRole('link', { name: '化解矛盾' }).click();
  await page.getByTestId('dispute-form').waitFor();
  await page.getByLabel('化解的矛盾或解决的问题').fill('调解与邻居的宅基地纠纷');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(`${server.base}${householdUrl}`);

  const timeline = page.getByTestId('timeline');
  await timeline.locator('li').nth(5).waitFor();
  assert.equal(await timeline.locator('li').count(), 6, 'pairing, visit, three support items, dispute');
  const items = await page.getByTestId('timeline-support').allTextContents();
  assert.ok(items.some((t) => t.includes('资金 500元') && t.includes('春节慰问金')), items.join('|'));
  assert.ok(items.some((t) => t.includes('物资 300.5元')), items.join('|'));
  assert.ok(items.some((t) => t.includes('生产扶持 12.5亩')), items.join('|'));
  assert.ok(await timeline.getByText('未同步').count() >= 6, 'offline records are marked unsent');
  const figures = await page.getByTestId('card-figures').textContent();
  assert.match(figures, /走访1次/);
  assert.match(figures, /慰问金、物资折币800\.5元/);
  assert.match(figures, /产业结构调整面积12\.5亩/);
  await shot(office, '4-card-offline.png');
});
test('offline: pair, a visit, three support items and a dispute resolved', () => pairAndRecord());

const writeReport = once(async () => {
  await pairAndRecord();
  const { page } = office;
  // Offline, the app moves between screens without the network.
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '结对帮扶' }).click();
  await page.getByTestId('page-pairing').waitFor();
  const row = page.getByTestId('household-row');
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /赵大山.*未同步.*红旗村 · 4人 · 低保.*138\*\*\*\*5678.*结对党员：王强/);
  await page.getByRole('link', { name: '情况反映' }).click();
  await page.getByText('还没有情况反映。').waitFor();
  await page.getByRole('link', { name: '写情况反映' }).click();
  await page.getByTestId('report-form').waitFor();
  await page.getByLabel('党员', { exact: true }).selectOption({ label: '王强' });
  await page.getByTestId('report-recipient').filter({ hasText: '报送：市教育局党组织' }).waitFor();
  await page.getByLabel('该党员是党委（党组）成员：报督导组审查').check();
  await page.getByTestId('report-recipient').filter({ hasText: '报送：第一督导组' }).waitFor();
  await page.getByLabel('该党员是党委（党组）成员：报督导组审查').uncheck();
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('alert').filter({ hasText: '内容不能为空' }).waitFor();
  await page.getByLabel('情况反映内容').fill('红旗村通村道路失修，雨天群众出行困难，建议列入明年修路计划。');
  await shot(office, '5-report-form.png');
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForURL(/\/pairing\/reports\/[0-9a-f-]{36}$/);
  await page.getByTestId('report-status').filter({ hasText: '待审阅' }).waitFor();
  await page.getByText('未同步').first().waitFor();
  // The office may review any report, so the form shows here too.
  await page.getByTestId('review-form').waitFor();
  await shot(office, '6-report-submitted.png');
});
test('offline: the member\'s situation report is written and submitted', () => writeReport());

const approveReport = once(async () => {
  await writeReport();
  await office.context.setOffline(false);
  await sync(office);
  const log = await serverLog(server.base, seed);
  // Distinct records (a card is sent again when its pairing moves it).
  const kinds = (k) => new Set(log.filter((c) => c.kind === k).map((c) => c.id)).size;
  assert.equal(kinds('household'), 1);
  assert.equal(kinds('pairing'), 1);
  assert.equal(kinds('visit'), 1);
  assert.equal(kinds('support_item'), 3);
  assert.equal(kinds('dispute'), 1);
  assert.equal(kinds('situation_report'), 1);
  const card = log.find((c) => c.kind === 'household');
  assert.ok(!JSON.stringify(card).match(/身份证|id_number/), 'no ID numbers on the card');

  const secretary = await phone('李梅', 'cadre', { level: 'branch', id: BRANCH });
  const { page } = secretary;
  await page.goto(`${server.base}/pairing/reports`);
  const row = page.getByTestId('report-row');
  await row.waitFor();
  assert.match(await row.textContent(), /王强.*待审阅.*报送市教育局党组织/);
  await row.click();
  const form = page.getByTestId('review-form');
  await form.waitFor();
  assert.equal(await page.locator('#review-reviewer option:checked').textContent(), '李梅', 'never the writer');
  // Returning needs a comment.
  await form.getByRole('button', { name: '退回修改' }).click();
  await page.getByRole('alert').filter({ hasText: '备注不能为空' }).waitFor();
  await form.getByLabel('审阅意见（退回时必填）').fill('情况属实，已转交镇政府');
  await form.getByRole('button', { name: '通过' }).click();
  await page.getByTestId('report-status').filter({ hasText: '已审阅' }).waitFor();
  await page.getByTestId('review-entry').filter({ hasText: '情况属实，已转交镇政府' }).waitFor();
  await shot(secretary, '7-report-approved.png');
  await sync(secretary);

  await sync(office, `${server.base}/pairing/reports`);
  await office.page.getByTestId('report-status').filter({ hasText: '已审阅' }).waitFor();
  await shot(office, '8-reports-office.png');
});
test('after sync a branch cadre (the unit\'s party organisation) approves the report', () => approveReport());

const summary = once(async () => {
  await approveReport();
  const { page } = office;
  await page.goto(`${server.base}/pairing/summary`);
  const sentence = page.getByTestId('summary-sentence');
  await sentence.waitFor();
  const expected = '结对帮扶困难户1户，走访慰问困难户1户，送去慰问金、物资折币800.5元；'
    + '落实致富项目0个，落实产业结构调整面积12.5亩；帮助化解矛盾、解决疑难问题1起。';
  assert.equal(await sentence.textContent(), expected);
  const table = await page.getByTestId('summary-table').locator('tr').allTextContents();
  assert.deepEqual(table, [
    '结对帮扶困难户1户', '走访慰问困难户1户', '慰问金500元', '物资折币300.5元',
    '慰问金、物资折币合计800.5元', '落实致富项目0个', '产业结构调整面积12.5亩', '化解矛盾、解决疑难问题1起',
  ]);
  const chart = page.getByTestId('summary-chart');
  assert.equal(await chart.locator('rect.pair-bar').count(), 1, 'one month, one bar');
  assert.match(await chart.textContent(), /800\.5元/);
  await shot(office, '9-summary.png');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('summary-csv').click(),
  ]);
  assert.match(download.suggestedFilename(), /^pairing-summary-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = artifactPath('pairing', download.suggestedFilename());
  await download.saveAs(file);
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], '范围,结对帮扶困难户（户）,走访慰问困难户（户）,慰问金（元）,物资折币（元）,'
    + '慰问金、物资折币合计（元）,落实致富项目（个）,产业结构调整面积（亩）,化解矛盾、解决疑难问题（起）');
  assert.equal(lines[1], '全市,1,1,500.00,300.50,800.50,0,12.5,1');
  assert.match(lines[2], /^\d{4}-\d{2},1,1,500\.00,300\.50,800\.50,0,12\.5,1$/);

  // Any scope inside the city: the village, the system, the unit.
  for (const label of ['村 · 红旗村', '系统 · 教育系统', '单位 · 市教育局']) {
    await page.getByLabel('汇总范围').selectOption({ label });
    await page.locator('.card h3').filter({ hasText: label }).waitFor();
    assert.equal(await sentence.textContent(), expected, label);
  }
});
test('the summary shows the right totals: sentence, table, chart and CSV', () => summary());

const villageCadre = once(async () => {
  await summary();
  const cadre = await phone('张驻村', 'cadre', { level: 'village', id: VILLAGE });
  const { page } = cadre;
  await page.goto(`${server.base}/pairing`);
  const row = page.getByTestId('household-row');
  await row.waitFor();
  assert.equal(await row.getByTestId('contact-masked').textContent(), '138****5678');
  assert.doesNotMatch(await page.locator('main').textContent(), /13812345678/);
  assert.match(await row.textContent(), /结对党员：王强 · 市教育局/);
  await shot(cadre, '10-village-list.png');
  await row.click();
  await page.getByTestId('contact-full').filter({ hasText: '13812345678' }).waitFor();
  // Issue 16: who helps the household, though the member sits outside the
  // village scope: name and unit only (the member list stays out of reach).
  assert.equal(await page.getByTestId('card-paired').textContent().then((t) => t.replace(/（\d{4}.*$/, '')),
    '王强 · 市教育局');
  // The village cadre may log visits for the paired member, but cannot pair.
  await page.getByRole('link', { name: '记录走访' }).waitFor();
  await page.goto(`${server.base}${householdUrl}/pair`);
  await page.getByTestId('pair-no-members').waitFor();
  await page.goto(`${server.base}${householdUrl}`);
  await page.getByTestId('contact-full').waitFor();
  await shot(cadre, '11-village-card.png');
});
test('a village cadre sees the card: contact masked in the list, whole on the card, the paired member by name and unit only', () => villageCadre());

const twoCadres = once(async () => {
  await villageCadre();
  const a = phones.find((p) => p.name === '张驻村');
  const b = await phone('赵驻村', 'cadre', { level: 'village', id: VILLAGE });
  // Both phones show the card before going offline; edits go through the
  // app's own links (no network needed).
  const edit = async ({ page }, fill) => {
    await page.getByRole('link', { name: '修改登记卡' }).click();
    await page.getByTestId('card-form').waitFor();
    await fill(page);
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForURL(`${server.base}${householdUrl}`);
  };
  const showCard = async ({ page }) => {
    await page.goto(`${server.base}${householdUrl}`);
    await page.getByTestId('contact-full').waitFor();
  };
  await showCard(a);
  await showCard(b);

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await edit(a, (page) => page.getByLabel('家庭人口').fill('5'));
  await edit(b, (page) => page.getByLabel('联系方式（可不填）').fill('13900001111'));
  await a.context.setOffline(false);
  await sync(a);
  await b.context.setOffline(false);
  await sync(b);
  await sync(a);
  for (const p of [a, b]) {
    await showCard(p);
    await p.page.getByTestId('card-size').filter({ hasText: '5人' }).waitFor();
    await p.page.getByTestId('contact-full').filter({ hasText: '13900001111' }).waitFor();
  }

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await edit(a, (page) => page.getByLabel('家庭人口').fill('6'));
  await edit(b, (page) => page.getByLabel('家庭人口').fill('7'));
  await a.context.setOffline(false);
  await sync(a);
  await b.context.setOffline(false);
  await sync(b);
  await sync(a);
  for (const p of [a, b]) {
    await showCard(p);
    await p.page.getByTestId('card-size').filter({ hasText: '7人' }).waitFor();
    assert.equal(await p.page.getByTestId('contact-full').textContent(), '13900001111');
  }
  await shot(b, '12-edited-card.png');

  // The office sees the conflict: the household, the field, both values.
  await sync(office, `${server.base}/pairing`);
  await office.page.getByRole('link', { name: '冲突记录' }).click();
  const conflict = office.page.getByTestId('conflict-row');
  await conflict.waitFor();
  assert.equal(await conflict.count(), 1, 'different fields are no conflict');
  assert.match(await conflict.textContent(), /赵大山.*家庭人口/);
  assert.equal(await conflict.getByTestId('conflict-kept').textContent(), '7人');
  assert.equal(await conflict.getByTestId('conflict-other').textContent(), '6人');
  await shot(office, '13-conflicts.png');
  // Offline, the list says why it is not there.
  await office.context.setOffline(true);
  await office.page.getByTestId('conflicts-offline').waitFor();
  await office.context.setOffline(false);
});
test('two cadres edit the same card offline: both fields survive; the same field is a conflict', () => twoCadres());

test('an inspector\'s phone sees no household data, with the reason', async () => {
  await twoCadres();
  const inspector = await phone('刘督导', 'inspector', { level: 'system', id: SYSTEM });
  const { page } = inspector;
  await page.goto(`${server.base}/pairing`);
  const why = page.getByTestId('pair-no-households');
  await why.waitFor();
  assert.match(await why.textContent(), /督导组.*不查看登记卡/);
  assert.equal(await page.getByTestId('household-row').count(), 0);
  await page.goto(`${server.base}/pairing/summary`);
  await page.getByTestId('pair-no-households').waitFor();
  await shot(inspector, '14-inspector.png');
  // Reports are not household data: the approved report is listed.
  await page.goto(`${server.base}/pairing/reports`);
  await page.getByTestId('report-status').filter({ hasText: '已审阅' }).waitFor();
  assert.deepEqual(problems, []);
});
