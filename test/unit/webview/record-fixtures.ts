// Records the adapter responses the webview model/render tests replay (run after `npm run build`):
//   npx tsx test/unit/webview/record-fixtures.ts
// It launches dist/debugAdapter.js on test/debug/programs/gic.s and pagetables.s with DebugClient
// and writes test/unit/webview/fixtures/*.json. The fixtures are checked in; re-record them when
// the adapter's custom request formats change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launch, lineOf, newClient, program, stopped } from '../../debug/helpers';

const OUT = path.join(__dirname, 'fixtures');

function save(name: string, body: unknown): void {
  fs.writeFileSync(path.join(OUT, name), JSON.stringify(body, null, 1) + '\n');
  console.log(`wrote ${name}`);
}

async function recordGic(): Promise<void> {
  const GIC = program('gic.s');
  const dc = newClient();
  await dc.start();
  const marks = ['@after-inject42', '@el1-irq', '@wfi', '@el2-eret27', '@after-wfi'];
  const lines = marks.map((m) => lineOf(GIC, m));
  let next = stopped(dc);
  await launch(dc, { program: GIC, gic: 'v3' }, () => dc.setBreakpointsRequest({ source: { path: GIC }, breakpoints: lines.map((line) => ({ line })) }));
  const stops: { line: number; gic: unknown; timers: unknown; trace: unknown }[] = [];
  for (let i = 0; i < 8; i++) {
    await next;
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const line = st.body.stackFrames[0]?.line ?? 0;
    const gic = (await dc.customRequest('armvirt/gic', { threadId: 1 })).body;
    const timers = (await dc.customRequest('armvirt/timers', { threadId: 1 })).body;
    const trace = (await dc.customRequest('armvirt/trace', { max: 200 })).body;
    const mark = marks[lines.indexOf(line)] ?? `line ${line}`;
    console.log(`stop ${i}: ${mark}`);
    stops.push({ line, gic, timers, trace });
    if (mark === '@after-wfi') break;
    next = stopped(dc);
    await dc.continueRequest({ threadId: 1 });
  }
  await dc.stop();
  stops.forEach((s, i) => {
    const mark = marks[lines.indexOf(s.line)]?.slice(1) ?? `line${s.line}`;
    save(`gic-${i}-${mark}.json`, s.gic);
    save(`timers-${i}-${mark}.json`, s.timers);
    save(`trace-${i}-${mark}.json`, s.trace);
  });
}

async function recordPageTables(): Promise<void> {
  const PT = program('pagetables.s');
  const dc = newClient();
  await dc.start();
  const line = lineOf(PT, '@guest-ready');
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program: PT }, () => dc.setBreakpointsRequest({ source: { path: PT }, breakpoints: [{ line }] }));
  await first;
  const pt = async (args: Record<string, unknown>) => (await dc.customRequest('armvirt/pageTables', { threadId: 1, ...args })).body;
  // Stage 2 and Stage 1: the roots and every node, expanded depth first (small programs only).
  const out: Record<string, unknown> = {};
  for (const stage of [1, 2]) {
    const roots = await pt({ stage });
    const nodes: { node: unknown; data: unknown }[] = [];
    const visit = async (node: unknown, depth: number): Promise<void> => {
      if (!node || depth > 4 || nodes.length > 40) return;
      const r = await pt({ stage, node });
      nodes.push({ node, data: r.data });
      for (const e of ((r.data as { entries?: { child?: unknown }[] }).entries ?? [])) if (e.child) await visit(e.child, depth + 1);
    };
    for (const root of ((roots.data as { roots?: { node?: unknown; enabled?: boolean }[] }).roots ?? [])) if (root.enabled !== false) await visit(root.node, 0);
    out[`stage${stage}`] = { roots, nodes };
  }
  const tr = (await dc.customRequest('armvirt/translate', { threadId: 1, address: 'pc', stage: 'both' })).body;
  out.translate = tr;
  save('pagetables.json', out);
  await dc.stop();
}

void (async () => {
  fs.mkdirSync(OUT, { recursive: true });
  await recordGic();
  await recordPageTables();
})().catch((e) => { console.error(e); process.exit(1); });
