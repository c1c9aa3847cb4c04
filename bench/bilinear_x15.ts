// Bilinear x1.5 pre-upscaler: cycles per HR pixel, latency and input duty on real DAVIS RGB
// frames in Verilator (bit-exact against the golden skip path), plus RAM bits and flip-flops.
// Prints JSON and writes bench/results/bilinear_x15.json.
//   nice npx tsx bench/bilinear_x15.ts [--width W] [--height H] [--frames N] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { elaborate } from '../generators/core/index.ts';
import { bilinearX15Params, buildBilinearX15 } from '../generators/blocks/bilinear_x15/index.ts';
import { bilinearX15Model } from '../generators/blocks/bilinear_x15/model.ts';
import { assertBeatsEqual, davisFramePath, davisSequences, framesToBeats, loadFrame, runStreamSim } from '../sim/index.ts';

const { values } = parseArgs({
  options: {
    width: { type: 'string', default: '640' },
    height: { type: 'string', default: '96' },
    frames: { type: 'string', default: '2' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/bilinear_x15.json', import.meta.url)) },
  },
});
const w = Number(values.width), h = Number(values.height), n = Number(values.frames);
if (![w, h, n].every((v) => Number.isSafeInteger(v) && v > 0) || w % 2 || h % 2 || w > 854 || h > 480)
  throw new Error(`--width/--height must be even and fit a 854x480 DAVIS frame, --frames positive (got ${w}x${h}, ${n})`);

const p = bilinearX15Params.validate({ channels: 3, maxWidth: 1280, heightBits: 11 });
const info = buildBilinearX15(p);
const design = elaborate(info.module);
const seq = davisSequences('val')[0];
const frames = Array.from({ length: n }, (_, i) => loadFrame(davisFramePath(seq, i), { format: 'rgb', crop: { x: 0, y: 0, width: w, height: h } }));
const inputs = framesToBeats(frames);
const expected = bilinearX15Model(p, frames);

const runs = [];
for (const [label, backpressure] of [['free-running', undefined], ['output stalls 30%', { inputGap: 0, outputStall: 0.3 }]] as const) {
  const r = await runStreamSim({ design, inputs: { s_axis: inputs }, expect: { m_axis: expected.length }, constInputs: { cfg_height: h }, seed: 1, backpressure });
  assertBeatsEqual(expected, r.outputs.m_axis, { label: `bench ${label}` });
  const out = r.outputs.m_axis;
  const active = out[out.length - 1].cycle - out[0].cycle + 1;
  runs.push({
    label,
    hr_pixels: out.length,
    cycles: r.cycles,
    cycles_per_hr_pixel: +(active / out.length).toFixed(5),
    first_output_cycle: out[0].cycle,
    input_stall_cycles: r.inputs.s_axis.stallCycles,
    output_stall_cycles: r.outputStats.m_axis.stallCycles,
    sim_seconds: +r.wallSeconds.toFixed(3),
  });
}
const W = (w * 3) / 2;
const doc = {
  block: 'bilinear_x15',
  config: p,
  frames: `${n} x DAVIS val/${seq} ${w}x${h} RGB crops -> ${W}x${(h * 3) / 2}`,
  ram_bits: info.ramBits,
  flops: info.flops,
  expected_cycles_per_hr_row: W + 2,
  runs,
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(doc, null, 2) + '\n');
console.log(JSON.stringify(doc, null, 2));
