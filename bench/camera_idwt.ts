// Sky130 hd area / Fmax of the camera preview's register-only RTL blocks: the CEA-861 1080p30
// timing generator (generators/blocks/hdmi_timing, 74.25 MHz target) and the horizontal inverse
// 5/3 core (generators/blocks/idwt53_h, 180 MHz target), through flows/synth. idwt53_v is left
// out: its row buffers are RAMs, which the flow would map to flip-flops. Prints JSON and writes
// bench/results/camera_idwt.json.
//   nice npx tsx bench/camera_idwt.ts [--pairs 2] [--corners tt,ss] [--out FILE]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildHdmiTiming } from '../generators/blocks/hdmi_timing/index.ts';
import { buildIdwt53h } from '../generators/blocks/idwt53_h/index.ts';
import { parseCorners, synthBlocks, writeBenchDoc, SYNTH_NOTE } from './lib/block_synth.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '2' },
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_idwt.json', import.meta.url)) },
  },
});
const pairs = Number(values.pairs);
if (!Number.isSafeInteger(pairs) || pairs < 1 || pairs > 32) throw new Error(`--pairs must be an integer 1..32 (got ${values.pairs})`);
const results = await synthBlocks(
  'camera-idwt',
  [
    { what: 'hdmi_timing 1080p30, lead 2', build: () => buildHdmiTiming({ lead: 2 }), clockMhz: 74.25 },
    { what: `idwt53_h ${pairs} pairs, 12 -> 12 bits`, build: () => buildIdwt53h({ pairs, inBits: 12, outBits: 12 }), clockMhz: 180 },
  ],
  parseCorners(values.corners!),
);
writeBenchDoc(values.out!, { bench: 'camera_idwt', pairs, results, notes: [SYNTH_NOTE, 'HDMI 1080p30 needs 74.25 MHz; the decoder path targets the 180 MHz chip clock'] });
