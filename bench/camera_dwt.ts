// Sky130 hd area / Fmax of the camera's horizontal 5/3 core (generators/blocks/dwt53_h) at
// P samples per clock, credit-FIFO (default) and stall-enable variants, through flows/synth.
// Prints JSON and writes bench/results/camera_dwt.json.
//   nice npx tsx bench/camera_dwt.ts [--lanes 4] [--corners tt,ss] [--out FILE]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDwt53h } from '../generators/blocks/dwt53_h/index.ts';
import { parseCorners, synthBlocks, writeBenchDoc, SYNTH_NOTE } from './lib/block_synth.ts';

const { values } = parseArgs({
  options: {
    lanes: { type: 'string', default: '4' },
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_dwt.json', import.meta.url)) },
  },
});
const lanes = Number(values.lanes);
if (!Number.isSafeInteger(lanes) || lanes < 1 || lanes > 64 || (lanes > 1 && lanes % 2)) throw new Error(`--lanes must be 1 or an even integer <= 64 (got ${values.lanes})`);
const results = await synthBlocks(
  'camera-dwt',
  [false, true].map((stall) => ({ what: stall ? 'stall enable + output register' : 'credit counter + 6-entry FIFO', build: () => buildDwt53h({ lanes, stall }), clockMhz: 180 })),
  parseCorners(values.corners!),
);
writeBenchDoc(values.out!, { bench: 'camera_dwt', lanes, config: { inBits: 10, outBits: 12, clockMhz: 180 }, results, notes: [SYNTH_NOTE, 'the camera needs >= 59 MHz at 64 px/clock (docs/camera.md section 6)'] });
