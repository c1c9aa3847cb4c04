// Sky130 hd area / Fmax of the camera preview's bilinear scaler/debayer
// (generators/blocks/cam_scaler: 1080p viewport, 13-bit LL1 samples, 12-bit planes) through
// flows/synth (Yosys + OpenSTA, hierarchy kept, no placement). Targets: 74.25 MHz (HDMI
// pixel clock) needed, 180 MHz (chip clock) wanted. Prints JSON and writes
// bench/results/camera_scaler.json.
//   nice npx tsx bench/camera_scaler.ts [--corners tt,ss] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Corner } from '../flows/pdk.ts';
import { synthesize } from '../flows/synth/run.ts';
import { buildCamScaler } from '../generators/blocks/cam_scaler/index.ts';
import { elaborate, writeVerilog } from '../generators/core/index.ts';

const { values } = parseArgs({
  options: {
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_scaler.json', import.meta.url)) },
  },
});
const corners = values.corners!.split(',') as Corner[];
for (const c of corners) if (c !== 'tt' && c !== 'ss') throw new Error(`--corners: unknown corner '${c}' (tt, ss)`);

const b = buildCamScaler({});
const clockMhz = 180;
const work = mkdtempSync(join(tmpdir(), 'screen-bench-camera-scaler-'));
const results = [];
try {
  const design = elaborate(b.module);
  const top = design.top.name;
  const files = writeVerilog(design, join(work, top, 'rtl'));
  for (const corner of corners) {
    process.stderr.write(`[bench] synthesising ${top} (${corner}) ...\n`);
    const r = await synthesize({ design: top, files, top, corner, clockMhz, workDir: join(work, top, corner) });
    results.push({
      top,
      corner,
      target_mhz: clockMhz,
      rtl_flops: b.flops,
      area_um2: r.area_um2,
      cells: r.cells,
      flops: r.flops,
      fmax_mhz: r.fmax_mhz,
      fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
      critical_path: r.critical_path && { kind: r.critical_path.kind, startpoint: r.critical_path.startpoint, endpoint: r.critical_path.endpoint, stages: r.critical_path.stages },
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'camera_scaler',
  date: new Date().toISOString(),
  results,
  notes: ['Yosys + OpenSTA through flows/synth: no wire load, no placement; hierarchy kept', 'one output pixel per clock; HDMI 1080p30 needs 74.25 MHz, the chip clock is 180 MHz'],
};
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, json + '\n');
process.stdout.write(json + '\n');
