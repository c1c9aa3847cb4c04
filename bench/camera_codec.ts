// Sky130 hd area / Fmax of the camera encoder's quantizer (generators/blocks/cam_quant, the
// stage-1 layout of dwt2d at P = 4: 3 bands x 2 lanes x 12 bits) and group coder
// (generators/blocks/cam_vlc, 13-bit coefficients, 32-bit words) through flows/synth. Prints
// JSON and writes bench/results/camera_codec.json.
//   nice npx tsx bench/camera_codec.ts [--corners tt,ss] [--out FILE]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCamQuant } from '../generators/blocks/cam_quant/index.ts';
import { buildCamVlc } from '../generators/blocks/cam_vlc/index.ts';
import { parseCorners, synthBlocks, writeBenchDoc, SYNTH_NOTE } from './lib/block_synth.ts';

const { values } = parseArgs({
  options: {
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_codec.json', import.meta.url)) },
  },
});
const results = await synthBlocks(
  'camera-codec',
  [
    { what: 'cam_quant: 3 bands x 2 lanes x 12 bit (dwt2d m_axis_s1, P = 4)', build: () => buildCamQuant({ bands: 3, cols: 2, coefBits: 12 }), clockMhz: 180 },
    { what: 'cam_vlc: 13-bit coefficients, 32-bit words', build: () => buildCamVlc({ coefBits: 13, wordBits: 32 }), clockMhz: 180 },
  ],
  parseCorners(values.corners!),
);
writeBenchDoc(values.out!, { bench: 'camera_codec', config: { clockMhz: 180 }, results, notes: [SYNTH_NOTE, 'the camera needs >= 59 MHz at 64 px/clock (docs/camera.md section 6)'] });
