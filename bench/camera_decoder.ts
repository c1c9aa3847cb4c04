// Camera decoder blocks: throughput of the group decoder (generators/blocks/cam_vld) on real
// codestreams of DAVIS val 832x480 frames in Verilator (no backpressure: groups per clock), and
// Sky130 hd area / Fmax of cam_vld (13-bit, 32-bit words) and the inverse quantizer cam_dequant
// (idwt2d's stage-1 layout: 3 bands x 2 lanes x 12 bit), plus the encoder side's four-field row
// merger cam_merge, through flows/synth. Prints JSON and
// writes bench/results/camera_decoder.json.
//   nice npx tsx bench/camera_decoder.ts [--corners tt,ss] [--no-synth] [--out FILE]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mosaicFromImage } from '../model/camera/bayer.ts';
import { chooseK, groupHistogram, MULT_ONE, multsForQuant, type BandParams } from '../model/camera/codec.ts';
import { BANDS, type BandName } from '../model/camera/dwt.ts';
import { analyzeMosaic } from '../model/camera/pipeline.ts';
import { readImage } from '../model/io/image-file.ts';
import { elaborate, writeVerilog } from '../generators/core/index.ts';
import { buildCamDequant } from '../generators/blocks/cam_dequant/index.ts';
import { buildCamMerge } from '../generators/blocks/cam_merge/index.ts';
import { camVlcModel, scanGroups } from '../generators/blocks/cam_vlc/model.ts';
import { buildCamVld } from '../generators/blocks/cam_vld/index.ts';
import { runStreamSim } from '../sim/index.ts';
import { parseCorners, synthBlocks, writeBenchDoc, SYNTH_NOTE } from './lib/block_synth.ts';

const { values } = parseArgs({
  options: {
    corners: { type: 'string', default: 'tt,ss' },
    'no-synth': { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_decoder.json', import.meta.url)) },
  },
});

const VAL = fileURLToPath(new URL('../../shared/data/davis480p/val', import.meta.url));
const frame = mosaicFromImage(readImage(`${VAL}/blackswan/00000.jpg`), 'full');
const unity = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;

const design = elaborate(buildCamVld({ coefBits: 13, wordBits: 32 }).module);
const files = writeVerilog(design, mkdtempSync(join(tmpdir(), 'screen-bench-camvld-')));
const sd = { top: design.top.name, files, ports: design.top.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width })) };
const throughput = [];
for (const [q, b] of [[1, 'HL1'], [1, 'LL2'], [48, 'LL2'], [48, 'HH1']] as [number, BandName][]) {
  const scan = analyzeMosaic(frame, q === 1 ? unity : multsForQuant(q)).scans[b];
  const k = chooseK(groupHistogram(scan));
  const groups = scanGroups(scan);
  const enc = camVlcModel({ wordBits: 32 }, groups, k, true);
  process.stderr.write(`[bench] cam_vld ${b} q=${q}: ${groups.length} groups ...\n`);
  const r = await runStreamSim({ design: sd, inputs: { s_axis: enc.words }, constInputs: { k, groups: groups.length, flush: 1 }, expect: { m_axis: groups.length }, livenessCycles: 100_000 });
  throughput.push({ band: b, q, groups: groups.length, bits_per_group: +(enc.bits / groups.length).toFixed(2), words: enc.words.length, cycles: r.cycles, groups_per_clock: +(groups.length / r.cycles).toFixed(3) });
}

const results = values['no-synth']
  ? []
  : await synthBlocks(
      'camera-decoder',
      [
        { what: 'cam_vld: 13-bit coefficients, 32-bit words', build: () => buildCamVld({ coefBits: 13, wordBits: 32 }), clockMhz: 180 },
        { what: 'cam_dequant: 3 bands x 2 lanes x 12 bit (idwt2d s_axis_s1, P = 4)', build: () => buildCamDequant({ bands: 3, cols: 2, coefBits: 12 }), clockMhz: 180 },
        { what: 'cam_merge (encoder side: four fields\' groups -> row-interleaved codestream order): 13-bit', build: () => buildCamMerge({ coefBits: 13 }), clockMhz: 180 },
      ],
      parseCorners(values.corners!),
    );
writeBenchDoc(values.out!, {
  bench: 'camera_decoder',
  config: { clockMhz: 180, frame: 'DAVIS val blackswan/00000 (832x480 mosaic, full mode)', wordBits: 32 },
  throughput,
  results,
  notes: [SYNTH_NOTE, 'throughput: Verilator, words offered every clock, output never stalled; a group needs its whole code in the bit buffer, so long codes are limited by the 32-bit word input'],
});
