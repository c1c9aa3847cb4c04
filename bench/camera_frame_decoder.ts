// Whole-frame camera decoder (generators/designs/camera/frame_decoder.ts): throughput in Verilator
// on the seven golden codestreams of a real DAVIS val mosaic (flushed, 32-bit words offered every
// clock, output never stalled): 2x8 tiles (16 pixels) per clock after the first. Every run is
// checked against the golden decodeMosaic. Prints JSON and writes bench/results/camera_frame_decoder.json.
//   nice npx tsx bench/camera_frame_decoder.ts [--out FILE]
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mosaicFromImage } from '../model/camera/bayer.ts';
import { chooseK, groupHistogram, invRegister, MULT_ONE, multsForQuant, type BandParams } from '../model/camera/codec.ts';
import { decodeMosaic } from '../model/camera/decode.ts';
import { BANDS } from '../model/camera/dwt.ts';
import { analyzeMosaic } from '../model/camera/pipeline.ts';
import { readImage } from '../model/io/image-file.ts';
import { crop } from '../model/image.ts';
import { elaborate, writeVerilog } from '../generators/core/index.ts';
import { camVlcModel, scanGroups } from '../generators/blocks/cam_vlc/model.ts';
import { ENCODER_BANDS } from '../generators/designs/camera/encoder.ts';
import { buildCamFrameDecoder } from '../generators/designs/camera/frame_decoder.ts';
import { mosaicTiles } from '../generators/designs/camera/frame-model.ts';
import { runStreamSim } from '../sim/index.ts';
import { writeBenchDoc } from './lib/block_synth.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: fileURLToPath(new URL('./results/camera_frame_decoder.json', import.meta.url)) } } });

const VAL = fileURLToPath(new URL('../../shared/data/davis480p/val', import.meta.url));
const MW = 512, MH = 64; // mosaic: 256x32 fields
const mo = mosaicFromImage(crop(readImage(`${VAL}/kite-surf/00002.jpg`), 100, 100, MW, MH), 'full');
const design = elaborate(buildCamFrameDecoder({ maxWidth: MW / 2, rowsBits: 7 }).module);
const files = writeVerilog(design, mkdtempSync(join(tmpdir(), 'screen-bench-camframedec-')));
const sd = { top: design.top.name, files, ports: design.top.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width })) };
const tiles = (MW / 8) * (MH / 2);
const runs = [];
for (const q of [1, 16, 48]) {
  const mults = q === 1 ? (Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams) : multsForQuant(q);
  const s = analyzeMosaic(mo, mults);
  const k = Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(s.scans[b]))]));
  const enc = Object.fromEntries(ENCODER_BANDS.map((b) => [b, camVlcModel({ wordBits: 32 }, scanGroups(s.scans[b]), k[b], true)]));
  process.stderr.write(`[bench] cam_frame_decoder q=${q}: ${tiles} tiles ...\n`);
  const r = await runStreamSim({
    design: sd,
    inputs: Object.fromEntries(ENCODER_BANDS.map((b) => [`s_axis_${b}`, enc[b].words])),
    constInputs: { width: MW / 2, rows: MH / 2, flush: 1, focus: 16, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`k_${b}`, k[b]], [`inv_${b}`, invRegister(mults[b])]])) },
    expect: { m_axis: tiles },
  });
  assert.equal(r.outputs.err.length, 0, 'no err events');
  assert.deepEqual(r.outputs.m_axis.map((x) => x.data), mosaicTiles(decodeMosaic(s, mults, 'full')).map((x) => x.data), `q = ${q}: RTL = golden decodeMosaic`);
  const first = r.outputs.m_axis[0].cycle, last = r.outputs.m_axis.at(-1)!.cycle;
  runs.push({
    q,
    bits_per_group: Object.fromEntries(ENCODER_BANDS.map((b) => [b, +(enc[b].bits / (s.scans[b].length / 4)).toFixed(1)])),
    first_tile_cycle: first,
    last_tile_cycle: last,
    tiles_per_clock: +((tiles - 1) / (last - first)).toFixed(3),
  });
}
writeBenchDoc(values.out!, {
  bench: 'camera_frame_decoder',
  config: { mosaic: `DAVIS val kite-surf/00002, ${MW}x${MH} crop at (100, 100), full mode`, maxWidth: MW / 2, wordBits: 32, tiles },
  runs,
  notes: ['Verilator, codestream words offered every clock, output never stalled; tiles_per_clock = (tiles - 1) / (last - first tile cycle), 1 = 16 pixels per clock; each stage-1 codestream must deliver one group per tile, so long codes (q = 1: 25-31 bits per group against 32-bit words) slow it'],
});
