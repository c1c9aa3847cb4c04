// Sky130 hd area / Fmax of the camera's horizontal 5/3 core (generators/blocks/dwt53_h) at
// P samples per clock, credit-FIFO (default) and stall-enable variants, through flows/synth
// (Yosys + OpenSTA, hierarchy kept, no placement). Prints JSON and writes
// bench/results/camera_dwt.json.
//   nice npx tsx bench/camera_dwt.ts [--lanes 4] [--corners tt,ss] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Corner } from '../flows/pdk.ts';
import { synthesize } from '../flows/synth/run.ts';
import { buildDwt53h } from '../generators/blocks/dwt53_h/index.ts';
import { elaborate, writeVerilog } from '../generators/core/index.ts';

const { values } = parseArgs({
  options: {
    lanes: { type: 'string', default: '4' },
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_dwt.json', import.meta.url)) },
  },
});
const lanes = Number(values.lanes);
if (!Number.isSafeInteger(lanes) || lanes < 1 || lanes > 64 || (lanes > 1 && lanes % 2)) throw new Error(`--lanes must be 1 or an even integer <= 64 (got ${values.lanes})`);
const corners = values.corners!.split(',') as Corner[];
for (const c of corners) if (c !== 'tt' && c !== 'ss') throw new Error(`--corners: unknown corner '${c}' (tt, ss)`);

const work = mkdtempSync(join(tmpdir(), 'screen-bench-camera-dwt-'));
const results = [];
try {
  for (const stall of [false, true]) {
    const info = buildDwt53h({ lanes, stall });
    const design = elaborate(info.module);
    const top = design.top.name;
    const files = writeVerilog(design, join(work, top, 'rtl'));
    for (const corner of corners) {
      process.stderr.write(`[bench] synthesising ${top} (${corner}) ...\n`);
      const r = await synthesize({ design: top, files, top, corner, clockMhz: 180, workDir: join(work, top, corner) });
      results.push({
        top,
        variant: stall ? 'stall enable + output register' : 'credit counter + 6-entry FIFO',
        corner,
        rtl_flops: info.flops,
        area_um2: r.area_um2,
        cells: r.cells,
        flops: r.flops,
        fmax_mhz: r.fmax_mhz,
        fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
        critical_path: r.critical_path && { kind: r.critical_path.kind, startpoint: r.critical_path.startpoint, endpoint: r.critical_path.endpoint, stages: r.critical_path.stages },
        max_fanout_logic: r.max_fanout_logic,
        modules: r.modules.map((m) => ({ module: m.module, own_area_um2: m.own_area_um2 })),
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'camera_dwt',
  date: new Date().toISOString(),
  lanes,
  config: { inBits: 10, outBits: 12, clockMhz: 180 },
  results,
  notes: ['Yosys + OpenSTA through flows/synth: no wire load, no placement; hierarchy kept', 'the camera needs >= 59 MHz at 64 px/clock (docs/camera.md section 6)'],
};
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, json + '\n');
process.stdout.write(json + '\n');
