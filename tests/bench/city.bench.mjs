// Benchmark group `city` (`.ci/bench city`): the phone at the scale of the
// city in the documents (issue 11). Real server (tests/e2e/harness.mjs),
// seeded through /api/sync/push with core's city (~139,000 records,
// tests/bench/city-seed.mjs; ~158,000 with the study week); then, for each user — the office (city
// scope), an inspector of the system holding the 250-member unit (~16k
// records), a village cadre (~0.6k) — a fresh real headless Chromium phone
// at 390×844 enrolls through its invite link and is measured
// (tests/bench/city-phone.mjs says how):
//
//   METRIC city_<role>_first_sync_s   tap on 登记 → first sync done
//   METRIC city_<role>_screen_ms_max  slowest of 7 screens (each on stderr)
//   METRIC city_<role>_tap_ms_p50/p95 20 taps, a second apart, on the 250-member unit's
//                                     check list (not for the cadre)
//   METRIC city_<role>_wasm_mb        the wasm memory's size afterwards
//   METRIC study_tap_to_persisted_ms_p50/p95  (office) 20 taps on the 考勤 of a
//                                     new session in the 250-member unit's branch
//
// Then the office phone again with the CPU throttled 4× through CDP
// (Emulation.setCPUThrottlingRate): screens and taps, suffix `_4x`.
// Budgets (issue 11) are checked at the end: every breach is printed on
// stderr and the exit code is 1. Progress goes to stderr.
//
// Env: XIANFENG_APP_DIR, XIANFENG_SERVER_BIN (harness), XIANFENG_CITY_BIN
// (city-seed), CITY_SCALE (divide the city, for trying the bench quickly;
// figures of a scaled city are not comparable).
import os from 'node:os';

import { launchPhone, startServer } from '../e2e/harness.mjs';
import { adminCode } from '../e2e/app.mjs';
import { seedCity } from './city-seed.mjs';
import {
  firstSync, percentile, settle, timeScreens, timeStudyTaps, timeTaps, wasmMegabytes, watchWasmMemory,
} from './city-phone.mjs';

const TAPS = 20;
const WARMUP = 2;
const SCALE = Number(process.env.CITY_SCALE ?? 1);

// Office budgets, unthrottled; the inspector and the cadre get a quarter
// of each ("at least 4× better than the office").
const OFFICE = { first_sync_s: 15, screen_ms_max: 100, tap_ms_p50: 16, tap_ms_p95: 50, wasm_mb: 64 };
const OFFICE_4X = { screen_ms_max_4x: 400, tap_ms_p50_4x: 50, tap_ms_p95_4x: 150 };
const quarter = Object.fromEntries(Object.entries(OFFICE).map(([k, v]) => [k, v / 4]));
const BUDGETS = { office: { ...OFFICE, ...OFFICE_4X }, inspector: quarter, cadre: quarter };

const started = Date.now();
const log = (...args) => console.error(`[city bench ${((Date.now() - started) / 1000).toFixed(0)} s]`, ...args);
const figures = [];
const metric = (role, name, value, unit) => {
  figures.push({ role, name, value });
  console.log(`METRIC city_${role}_${name} ${value.toFixed(2)} ${unit}`);
};

/** Screens and (for roles that check) taps on one phone; `suffix` names the round. */
async function screensAndTaps(page, role, city, suffix) {
  const tag = (...a) => log(`${role}${suffix}:`, ...a);
  const screens = await timeScreens(page, city.big_unit.id, { log: tag });
  const slowest = Object.entries(screens).sort((a, b) => b[1] - a[1])[0];
  tag(`slowest screen: ${slowest[0]}`);
  metric(role, `screen_ms_max${suffix}`, slowest[1], 'ms');
  if (role === 'cadre') return;
  await settle(page);
  const times = await timeTaps(page, {
    unitName: city.big_unit.name, members: city.big_unit.members, taps: TAPS, warmup: WARMUP, log: tag,
  });
  metric(role, `tap_ms_p50${suffix}`, percentile(times, 50), 'ms');
  metric(role, `tap_ms_p95${suffix}`, percentile(times, 95), 'ms');
  if (role !== 'office') return;
  // 考勤 (issue 17): as fast as a spot check, with the whole city's study
  // facts on the phone.
  await settle(page);
  const study = await timeStudyTaps(page, { unitName: city.big_unit.name, taps: TAPS, warmup: WARMUP, log: tag });
  studyMetric(`study_tap_to_persisted_ms_p50${suffix}`, percentile(study, 50));
  studyMetric(`study_tap_to_persisted_ms_p95${suffix}`, percentile(study, 95));
}

/** Issue 17's figures, named as the issue names them. */
const STUDY_BUDGETS = { study_tap_to_persisted_ms_p50: 16, study_tap_to_persisted_ms_p50_4x: 50 };
const studyFigures = [];
function studyMetric(name, value) {
  studyFigures.push({ name, value });
  console.log(`METRIC ${name} ${value.toFixed(2)} ms`);
}

async function measure(role, link, city) {
  const context = await launchPhone();
  try {
    await watchWasmMemory(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => log(`${role}: page error: ${err.message}`));
    const cdp = await context.newCDPSession(page);
    const seconds = await firstSync(page, link, { expect: city[role].visible, log: (...a) => log(`${role}:`, ...a) });
    metric(role, 'first_sync_s', seconds, 's');
    await screensAndTaps(page, role, city, '');
    const wasm = await wasmMegabytes(page, cdp);
    log(`${role}: memory read from the ${wasm.how}`);
    metric(role, 'wasm_mb', wasm.mb, 'MB');
    if (role === 'office') {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      log('office: CPU throttled 4×');
      await settle(page);
      await screensAndTaps(page, role, city, '_4x');
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
  } finally {
    await context.close();
  }
}

// Other work on the machine slows every figure: say how busy it was.
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
log(`load average ${load()} on ${os.cpus().length} CPUs`);
const server = await startServer();
try {
  const seeded = await seedCity({ base: server.base, adminCode: await adminCode(server.dataDir), scale: SCALE, log });
  // CITY_ROLES=office (`.ci/bench study`): the office only.
  for (const role of (process.env.CITY_ROLES ?? 'office,inspector,cadre').split(',')) {
    await measure(role, await seeded.invite(seeded.city[role]), seeded.city);
  }
} finally {
  await server.stop();
}

const breaches = figures.filter(({ role, name, value }) => value > (BUDGETS[role][name] ?? Infinity))
  .map(({ role, name, value }) => `city_${role}_${name} ${value.toFixed(2)} > budget ${BUDGETS[role][name]}`)
  .concat(studyFigures.filter(({ name, value }) => value > (STUDY_BUDGETS[name] ?? Infinity))
    .map(({ name, value }) => `${name} ${value.toFixed(2)} > budget ${STUDY_BUDGETS[name]}`));
log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min; load average ${load()}`);
if (breaches.length > 0) {
  console.error(`[city bench] ${breaches.length} budget breaches:\n  ${breaches.join('\n  ')}`);
  process.exitCode = 1;
}
