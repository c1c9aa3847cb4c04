// Throughput of the bit-exact fixed-point golden model on 720p -> 1080p luma frames
// (one core, this process). Prints JSON and writes bench/results/golden.json.
//   nice npx tsx bench/golden.ts [--weights FILE] [--frames N] [--width 1280 --height 720]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { readImage } from '../model/io/image-file.ts';
import { bicubicResize } from '../model/resample/scale.ts';
import { rgbToYcbcrInt } from '../model/color.ts';
import { loadNetWeights } from '../model/net/weights.ts';
import { FixedNet } from '../model/net/fixed.ts';
import { FixedNetWasm } from '../model/net/fixed-wasm.ts';
import { FloatNet } from '../model/net/float.ts';
import { DEFAULT_NET_WEIGHTS } from '../model/net/upscaler.ts';

const { values } = parseArgs({
  options: {
    weights: { type: 'string', default: DEFAULT_NET_WEIGHTS },
    frames: { type: 'string', default: '5' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/golden.json', import.meta.url)) },
  },
});
const W = Number(values.width), H = Number(values.height), N = Number(values.frames);
const net = loadNetWeights(values.weights!);
// A real picture (the committed-by-lead flower still) resized to the LR frame size.
const still = readImage(fileURLToPath(new URL('../../shared/data/stills/flower.png', import.meta.url)));
const y8 = rgbToYcbcrInt(bicubicResize(still, W, H)).y;

// The wasm-SIMD model is the one `screen upscale` uses; the plain-JS one is the portable fallback.
const fixed = new FixedNetWasm(net);
let t = performance.now();
const first = fixed.run(y8, W, H); // compiles the layers for this size
const compileAndFirst = (performance.now() - t) / 1000;
// Wall time and this process's CPU time: on a shared, loaded machine the CPU-time rate
// is the better estimate of what one dedicated core does.
t = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) fixed.run(y8, W, H);
const fixedS = (performance.now() - t) / 1000 / N;
const cpu = process.cpuUsage(cpu0);
const fixedCpuS = (cpu.user + cpu.system) / 1e6 / N;
const js = new FixedNet(net);
t = performance.now();
const jsOut = js.run(y8, W, H);
const jsS = (performance.now() - t) / 1000;
const identical = jsOut.every((v, i) => v === first[i]);

const float = new FloatNet(net);
t = performance.now();
float.run(y8, W, H);
const floatS = (performance.now() - t) / 1000;

const macs = net.macsPerLrPx * W * H;
const result = {
  bench: 'golden',
  weights: relative(fileURLToPath(new URL('..', import.meta.url)), values.weights!),
  network: net.name,
  lr: `${W}x${H}`,
  hr: `${(W * 3) / 2}x${(H * 3) / 2}`,
  frames_timed: N,
  fixed_frames_per_s: Number((1 / fixedS).toFixed(3)),
  fixed_s_per_frame: Number(fixedS.toFixed(4)),
  fixed_frames_per_cpu_s: Number((1 / fixedCpuS).toFixed(3)),
  load_average_1min: Number(loadavg()[0].toFixed(2)),
  fixed_first_frame_s_incl_compile: Number(compileAndFirst.toFixed(3)),
  fixed_gmac_per_s: Number((macs / fixedS / 1e9).toFixed(3)),
  fixed_js_fallback_s_per_frame: Number(jsS.toFixed(3)),
  wasm_equals_js_fallback: identical,
  float_s_per_frame: Number(floatS.toFixed(3)),
  macs_per_lr_px: net.macsPerLrPx,
  gmac_per_frame: Number((macs / 1e9).toFixed(3)),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  date: new Date().toISOString(),
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
