// The network golden models as evaluation Upscalers. The chip sees integer BT.601 Y8
// of the LR frame (docs/fixed-point.md 1); its HR luma is compared with the float
// BT.601 Y of the ground truth; chroma for pictures comes from bicubic.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rgbToYcbcrInt } from '../color.ts';
import type { Image } from '../image.ts';
import { withLuma, type Upscaler } from '../protocol.ts';
import { upscale15 } from '../resample/scale.ts';
import { FixedNet } from './fixed.ts';
import { FixedNetWasm, wasmSimdAvailable } from './fixed-wasm.ts';
import { FloatNet } from './float.ts';
import type { NetWeights } from './weights.ts';

export const WEIGHTS_DIR = fileURLToPath(new URL('../../weights/', import.meta.url));
/** The network the chip runs (8-bit QAT export of the default config). */
export const DEFAULT_NET_WEIGHTS = join(WEIGHTS_DIR, 'crnn_q8.json');

/** Bit-exact fixed model: the wasm-SIMD build where the engine has it, else the plain-JS one. */
export function createFixedNet(net: NetWeights, singleFrame = net.singleFrame): FixedNet | FixedNetWasm {
  return wasmSimdAvailable() ? new FixedNetWasm(net, singleFrame) : new FixedNet(net, singleFrame);
}

/** A trained single-frame ablation network in weights/ (single_frame: true), preferring one named after `main`. */
export function findSingleFrameWeights(main?: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(WEIGHTS_DIR).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return undefined;
  }
  const hits = names.filter((n) => {
    try {
      const d = JSON.parse(readFileSync(join(WEIGHTS_DIR, n), 'utf8')) as { format?: string; single_frame?: boolean };
      return d.format === 'screen-crnn-weights' && d.single_frame === true;
    } catch {
      return false;
    }
  });
  const stem = main ? basename(main, '.json') : '';
  const best = hits.find((n) => stem && n.startsWith(stem)) ?? hits[0];
  return best ? join(WEIGHTS_DIR, best) : undefined;
}

function lumaY8(lr: Image): Uint8Array {
  return rgbToYcbcrInt(lr).y;
}

export function fixedUpscaler(net: NetWeights, name = 'fixed', singleFrame = net.singleFrame): Upscaler {
  const m = createFixedNet(net, singleFrame);
  return {
    name,
    stateful: !singleFrame,
    reset: () => m.reset(),
    upscale(lr) {
      const out = m.run(lumaY8(lr), lr.width, lr.height);
      const y = { width: (lr.width * 3) / 2, height: (lr.height * 3) / 2, data: Float64Array.from(out) };
      return { y, rgb: withLuma(y, upscale15(lr, 'bicubic', 'LR frame')) };
    },
  };
}

export function floatUpscaler(net: NetWeights): Upscaler {
  const m = new FloatNet(net);
  return {
    name: 'float',
    stateful: !net.singleFrame,
    reset: () => m.reset(),
    upscale(lr) {
      const y = { width: (lr.width * 3) / 2, height: (lr.height * 3) / 2, data: m.run(lumaY8(lr), lr.width, lr.height) };
      return { y, rgb: withLuma(y, upscale15(lr, 'bicubic', 'LR frame')) };
    },
  };
}
