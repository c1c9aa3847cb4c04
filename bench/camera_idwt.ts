// Sky130 hd area / Fmax of the camera preview's register-only RTL blocks: the CEA-861 1080p30
// timing generator (generators/blocks/hdmi_timing, 74.25 MHz target) and the horizontal inverse
// 5/3 core (generators/blocks/idwt53_h, 180 MHz target), through flows/synth (Yosys + OpenSTA,
// hierarchy kept, no placement). idwt53_v is left out: its row buffers are RAMs, which the
// flow would map to flip-flops. Prints JSON and writes bench/results/camera_idwt.json.
//   nice npx tsx bench/camera_idwt.ts [--pairs 2] [--corners tt,ss] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Corner } from '../flows/pdk.ts';
import { synthesize } from '../flows/synth/run.ts';
import { buildHdmiTiming } from '../generators/blocks/hdmi_timing/index.ts';
import { buildIdwt53h } from '../generators/blocks/idwt53_h/index.ts';
import { elaborate, writeVerilog, type Module } from '../generators/core/index.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '2' },
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_idwt.json', import.meta.url)) },
  },
});
const pairs = Number(values.pairs);
if (!Number.isSafeInteger(pairs) || pairs < 1 || pairs > 32) throw new Error(`--pairs must be an integer 1..32 (got ${values.pairs})`);
const corners = values.corners!.split(',') as Corner[];
for (const c of corners) if (c !== 'tt' && c !== 'ss') throw new Error(`--corners: unknown corner '${c}' (tt, ss)`);

const blocks: { what: string; module: Module; flops: number; clockMhz: number }[] = [
  { what: 'hdmi_timing 1080p30, lead 2', ...buildHdmiTiming({ lead: 2 }), clockMhz: 74.25 },
  { what: `idwt53_h ${pairs} pairs, 12 -> 12 bits`, ...buildIdwt53h({ pairs, inBits: 12, outBits: 12 }), clockMhz: 180 },
];
const work = mkdtempSync(join(tmpdir(), 'screen-bench-camera-idwt-'));
const results = [];
try {
  for (const b of blocks) {
    const design = elaborate(b.module);
    const top = design.top.name;
    const files = writeVerilog(design, join(work, top, 'rtl'));
    for (const corner of corners) {
      process.stderr.write(`[bench] synthesising ${top} (${corner}) ...\n`);
      const r = await synthesize({ design: top, files, top, corner, clockMhz: b.clockMhz, workDir: join(work, top, corner) });
      results.push({
        top,
        what: b.what,
        corner,
        target_mhz: b.clockMhz,
        rtl_flops: b.flops,
        area_um2: r.area_um2,
        cells: r.cells,
        flops: r.flops,
        fmax_mhz: r.fmax_mhz,
        fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
        critical_path: r.critical_path && { kind: r.critical_path.kind, startpoint: r.critical_path.startpoint, endpoint: r.critical_path.endpoint, stages: r.critical_path.stages },
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'camera_idwt',
  date: new Date().toISOString(),
  pairs,
  results,
  notes: ['Yosys + OpenSTA through flows/synth: no wire load, no placement; hierarchy kept', 'HDMI 1080p30 needs 74.25 MHz; the decoder path targets the 180 MHz chip clock'],
};
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, json + '\n');
process.stdout.write(json + '\n');
