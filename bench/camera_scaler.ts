// Sky130 hd area / Fmax of the camera preview's bilinear scaler/debayer
// (generators/blocks/cam_scaler: 1080p viewport, 13-bit LL1 samples, 12-bit planes) through
// flows/synth. Targets: 74.25 MHz (HDMI pixel clock) needed, 180 MHz (chip clock) wanted.
// Prints JSON and writes bench/results/camera_scaler.json.
//   nice npx tsx bench/camera_scaler.ts [--corners tt,ss] [--out FILE]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCamScaler } from '../generators/blocks/cam_scaler/index.ts';
import { parseCorners, synthBlocks, writeBenchDoc, SYNTH_NOTE } from './lib/block_synth.ts';

const { values } = parseArgs({
  options: {
    corners: { type: 'string', default: 'tt,ss' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera_scaler.json', import.meta.url)) },
  },
});
const results = await synthBlocks('camera-scaler', [{ what: 'cam_scaler, 1080p output, 13-bit samples', build: () => buildCamScaler({}), clockMhz: 180 }], parseCorners(values.corners!));
writeBenchDoc(values.out!, { bench: 'camera_scaler', results, notes: [SYNTH_NOTE, 'one output pixel per clock; HDMI 1080p30 needs 74.25 MHz, the chip clock is 180 MHz'] });
