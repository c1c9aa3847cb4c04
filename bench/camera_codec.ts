// Sky130 hd area / Fmax of the camera encoder's quantizer (generators/blocks/cam_quant, the
// stage-1 layout of dwt2d at P = 4: 3 bands x 2 lanes x 12 bits) and group coder
// (generators/blocks/cam_vlc, 13-bit coefficients, 32-bit words) through flows/synth (Yosys +
// OpenSTA, hierarchy kept, no placement). Prints JSON and writes bench/results/camera_codec.json.
//   nice npx tsx bench/camera_codec.ts [--corners tt,ss] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Corner } from '../flows/pdk.ts';
import { synthesize } from '../flows/synth/run.ts';
import { buildCamQuant } from '../generators/blocks/cam_quant/index.ts';
import { buildCamVlc } from '../generators/blocks/cam_vlc/index.ts';
import { elaborate, writeVerilog, type Module } from '../generators/core/index.ts';

const { values } = parseArgs({
  options: {
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_codec.json', import.meta.url)) },
  },
});
const corners = values.corners!.split(',') as Corner[];
for (const c of corners) if (c !== 'tt' && c !== 'ss') throw new Error(`--corners: unknown corner '${c}' (tt, ss)`);

const blocks: { what: string; build: () => { module: Module; flops: number } }[] = [
  { what: 'cam_quant: 3 bands x 2 lanes x 12 bit (dwt2d m_axis_s1, P = 4)', build: () => buildCamQuant({ bands: 3, cols: 2, coefBits: 12 }) },
  { what: 'cam_vlc: 13-bit coefficients, 32-bit words', build: () => buildCamVlc({ coefBits: 13, wordBits: 32 }) },
];
const work = mkdtempSync(join(tmpdir(), 'screen-bench-camera-codec-'));
const results = [];
try {
  for (const b of blocks) {
    const info = b.build();
    const design = elaborate(info.module);
    const top = design.top.name;
    const files = writeVerilog(design, join(work, top, 'rtl'));
    for (const corner of corners) {
      process.stderr.write(`[bench] synthesising ${top} (${corner}) ...\n`);
      const r = await synthesize({ design: top, files, top, corner, clockMhz: 180, workDir: join(work, top, corner) });
      results.push({
        top,
        what: b.what,
        corner,
        rtl_flops: info.flops,
        area_um2: r.area_um2,
        cells: r.cells,
        flops: r.flops,
        fmax_mhz: r.fmax_mhz,
        fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
        critical_path: r.critical_path && { kind: r.critical_path.kind, startpoint: r.critical_path.startpoint, endpoint: r.critical_path.endpoint, stages: r.critical_path.stages },
        modules: r.modules.map((m) => ({ module: m.module, own_area_um2: m.own_area_um2 })),
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'camera_codec',
  date: new Date().toISOString(),
  config: { clockMhz: 180 },
  results,
  notes: ['Yosys + OpenSTA through flows/synth: no wire load, no placement; hierarchy kept', 'the camera needs >= 59 MHz at 64 px/clock (docs/camera.md section 6)'],
};
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, json + '\n');
process.stdout.write(json + '\n');
