// Part of benchmark group `bundle` (`.ci/bench bundle`, after the byte
// budgets): what the bytes cost a village phone, measured, not budgeted
// yet (issue 15). Real release server and build, headless Chromium at
// 390×844 with CDP throttling:
//
// - wasm_instantiate_ms / wasm_instantiate_ms_4x: compiling and
//   instantiating the main wasm module (its bytes already in memory, its
//   imports stubbed, so no app code runs), median of 5, at full speed and
//   at 4× CPU throttling;
// - first_load_usable_ms_4x_400kbit: a new phone opening its invite link
//   on a 400 kbit/s link (400 ms round trip) at 4× CPU, from navigation
//   to the enrolment form on screen, median of 3, nothing cached;
// - first_load_lcp_ms_4x_400kbit: the largest contentful paint of the
//   same loads (the boot shell paints before the wasm arrives).
//
// Env: XIANFENG_APP_DIR, XIANFENG_SERVER_BIN (see tests/e2e/harness.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { APP_DIR, launchPhone, startServer } from '../e2e/harness.mjs';

const log = (...args) => console.error('[first-load bench]', ...args);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const VILLAGE_LINK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 200_000 / 8 };

const build = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'build.json'), 'utf8'));
const server = await startServer();
const phones = [];
try {
  // Compile + instantiate, at 1× and 4×.
  const phone = await launchPhone();
  phones.push(phone);
  const page = phone.pages()[0] ?? (await phone.newPage());
  await page.goto(`${server.base}/manifest.webmanifest`);
  const cdp = await page.context().newCDPSession(page);
  const instantiate = () => page.evaluate(async (wasm) => {
    const bytes = await (await fetch(`/${wasm}`)).arrayBuffer();
    const t0 = performance.now();
    const module = await WebAssembly.compile(bytes);
    const imports = {};
    for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
      imports[from] ??= {};
      imports[from][name] = kind === 'function' ? () => {}
        : kind === 'table' ? new WebAssembly.Table({ initial: 0, element: 'anyfunc' })
          : kind === 'memory' ? new WebAssembly.Memory({ initial: 1 })
            : new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    }
    try {
      await WebAssembly.instantiate(module, imports);
    } catch {
      // An import whose stub has the wrong shape: compiling was measured.
    }
    return performance.now() - t0;
  }, build.wasm);
  for (const [rate, metric] of [[1, 'wasm_instantiate_ms'], [4, 'wasm_instantiate_ms_4x']]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const times = [];
    for (let i = 0; i < 5; i++) times.push(await instantiate());
    log(metric, times.map((t) => t.toFixed(1)).join(' '));
    console.log(`METRIC ${metric} ${Math.round(median(times))} ms`);
  }

  // A new phone on a village link: until the enrolment form is usable.
  const usable = [];
  const lcp = [];
  for (let i = 0; i < 3; i++) {
    const fresh = await launchPhone();
    phones.push(fresh);
    const p = fresh.pages()[0] ?? (await fresh.newPage());
    const session = await fresh.newCDPSession(p);
    await session.send('Network.enable');
    await session.send('Network.setCacheDisabled', { cacheDisabled: true });
    await session.send('Network.emulateNetworkConditions', VILLAGE_LINK);
    await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await p.addInitScript(() => {
      window.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const t0 = Date.now();
    await p.goto(`${server.base}/enroll?code=bench-invite`, { waitUntil: 'commit' });
    await p.getByTestId('enroll-form').waitFor({ timeout: 120_000 });
    usable.push(Date.now() - t0);
    lcp.push(await p.evaluate(() => window.__lcp));
    await fresh.close();
    phones.pop();
  }
  log('usable', usable.join(' '), 'lcp', lcp.map(Math.round).join(' '));
  console.log(`METRIC first_load_usable_ms_4x_400kbit ${median(usable)} ms`);
  console.log(`METRIC first_load_lcp_ms_4x_400kbit ${Math.round(median(lcp))} ms`);
} finally {
  for (const phone of phones) await phone.close();
  await server.stop();
}
