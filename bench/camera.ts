// Speed of the camera golden models on one real frame (flower still, full and subsampled
// mosaics; one core, this process). Prints JSON and writes bench/results/camera.json.
//   nice npx tsx bench/camera.ts [--repeat N] [--quant Q]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { readImage } from '../model/io/image-file.ts';
import { mosaicFromImage } from '../model/camera/bayer.ts';
import { chooseKs, multsForQuant } from '../model/camera/codec.ts';
import { StreamEncoder, decodeStreamFrame, defaultLatency } from '../model/camera/stream.ts';
import { decodeLL1, decodeMosaic } from '../model/camera/decode.ts';
import { analyzeMosaic, debayer } from '../model/camera/pipeline.ts';
import { fitViewport, hdmiPreview } from '../model/camera/preview.ts';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    quant: { type: 'string', default: '32' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/camera.json', import.meta.url)) },
  },
});
const R = Number(values.repeat), q = Number(values.quant);
const img = readImage(fileURLToPath(new URL('../../shared/data/stills/flower.png', import.meta.url)));

function time(fn: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < R; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return Math.min(...t);
}

const results = [];
for (const mode of ['full', 'subsampled'] as const) {
  const m = mosaicFromImage(img, mode);
  const mults = multsForQuant(q);
  let bytes: Uint8Array = new Uint8Array(0);
  const encMs = time(() => {
    const s = analyzeMosaic(m, mults);
    const enc = new StreamEncoder({ mode, width: m.width, height: m.height, mults, latencyGroups: defaultLatency(m.width, m.height), burstWords: 4 });
    enc.addFrame(s, chooseKs(s));
    bytes = enc.finish();
  });
  const decMs = time(() => void decodeMosaic(decodeStreamFrame(bytes, 0), mults, mode));
  const ll1Ms = time(() => void hdmiPreview(decodeLL1(decodeStreamFrame(bytes, 0), mults), mode, fitViewport(m.width / 4, m.height / 4)));
  const debayerMs = time(() => void debayer(m));
  const mpx = (m.width * m.height) / 1e6;
  results.push({ mode, width: m.width, height: m.height, quant: q, bytes: bytes.length, ratio: Number(((10 * m.width * m.height) / (8 * bytes.length)).toFixed(3)), encode_ms: Math.round(encMs), decode_ms: Math.round(decMs), preview_ms: Math.round(ll1Ms), debayer_ms: Math.round(debayerMs), encode_mpx_s: Number((mpx / (encMs / 1000)).toFixed(2)), decode_mpx_s: Number((mpx / (decMs / 1000)).toFixed(2)) });
}
const doc = { bench: 'camera golden models', node: process.version, loadavg: loadavg().map((v) => Number(v.toFixed(2))), repeat: R, results };
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(doc, null, 2) + '\n');
console.log(JSON.stringify(doc, null, 2));
