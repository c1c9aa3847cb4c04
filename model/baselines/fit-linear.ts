// Fits weights/linear_6x6.json by least squares on the training frames (protocol
// LR/HR pairs, float BT.601 luma). Minutes on one core:
//   nice npx tsx model/baselines/fit-linear.ts [--data DIR] [--every N] [--out FILE]
// Accumulates the 36x36 normal matrix and 36x9 right-hand side over every 2x2 LR cell
// of every N-th frame, then solves by Cholesky (tiny ridge for conditioning).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { lumaFloat } from '../color.ts';
import { listSequences, readSequence } from '../io/frames.ts';
import { hrFromFrame, lrFromHr } from '../protocol.ts';
import { BLOCK, DEFAULT_LINEAR_WEIGHTS, TAPS, gatherWindow, type LinearWeights } from './linear.ts';

const K = TAPS * TAPS, O = BLOCK * BLOCK;

export function choleskySolve(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (s <= 0) throw new Error(`normal matrix not positive definite at ${i}`);
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const X = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = B[i * m + c];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
      z[i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + c];
      X[i * m + c] = s / L[i * n + i];
    }
  }
  return X;
}

export function fitLinear(dataDir: string, every: number, log: (s: string) => void): LinearWeights {
  const AtA = new Float64Array(K * K), AtB = new Float64Array(K * O);
  const win = new Float64Array(K);
  let frames = 0, cells = 0;
  for (const seq of listSequences(dataDir)) {
    const pick = { ...seq, frames: seq.frames.filter((_, i) => i % every === 0) };
    for (const { image } of readSequence(pick)) {
      const hr = hrFromFrame(image);
      const lrY = lumaFloat(lrFromHr(hr)), hrY = lumaFloat(hr);
      for (let cy = 0; cy < lrY.height / 2; cy++) {
        for (let cx = 0; cx < lrY.width / 2; cx++) {
          gatherWindow(lrY, cy, cx, win);
          for (let i = 0; i < K; i++) {
            const wi = win[i];
            for (let j = 0; j <= i; j++) AtA[i * K + j] += wi * win[j];
          }
          for (let o = 0; o < O; o++) {
            const t = hrY.data[(3 * cy + ((o / 3) | 0)) * hrY.width + 3 * cx + (o % 3)];
            for (let i = 0; i < K; i++) AtB[i * O + o] += win[i] * t;
          }
          cells++;
        }
      }
      frames++;
    }
    log(`  ${seq.name}: ${pick.frames.length} frames (total ${frames} frames, ${cells} cells)`);
  }
  let trace = 0;
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < i; j++) AtA[j * K + i] = AtA[i * K + j];
    trace += AtA[i * K + i];
  }
  const ridge = 1e-9 * (trace / K);
  for (let i = 0; i < K; i++) AtA[i * K + i] += ridge;
  const X = choleskySolve(AtA, K, AtB, O);
  const weights = Array.from({ length: O }, (_, o) => Array.from({ length: K }, (_, k) => Number(X[k * O + o].toPrecision(9))));
  return { name: 'linear_6x6', taps: TAPS, block: BLOCK, weights, fit: { data: dataDir, every_nth_frame: every, frames, cells, ridge_rel: 1e-9, input: 'float BT.601 luma of Pillow-bicubic LR', target: 'float BT.601 luma of HR' } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { data: { type: 'string', default: fileURLToPath(new URL('../../../shared/data/davis480p/train', import.meta.url)) }, every: { type: 'string', default: '10' }, out: { type: 'string', default: DEFAULT_LINEAR_WEIGHTS } } });
  const t0 = Date.now();
  const lw = fitLinear(values.data!, Number(values.every), (s) => process.stderr.write(s + '\n'));
  writeFileSync(values.out!, JSON.stringify(lw, null, 1) + '\n');
  process.stderr.write(`wrote ${values.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
