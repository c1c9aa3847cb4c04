// The integer constants of one pipeline stage, taken from the exported network (docs/network.md)
// in the operand order the stage wires up: t = ci*k*k + ky*k + kx over the stage's input
// channels. The gate stage is z then r stacked (2*hidden_c outputs); a deconv head becomes a
// k x k conv with 9 outputs per cell (pixelshuffle form, the same integer sums).
import { headX0Bits, type FixedLayer, type NetWeights } from '../../../model/net/weights.ts';
import { headKernel, type StagePlan } from './plan.ts';

export interface StageConstants {
  wBits: number;
  weights: number[];
  bias: number[];
  M: number[];
  S: number[];
  lo: number;
  hi: number;
}

function layer(net: NetWeights, name: string): FixedLayer {
  const L = net.fixed.get(name);
  if (!L) throw new RangeError(`network '${net.name}' (${net.path}) has no layer '${name}'`);
  return L;
}

const plain = (L: FixedLayer, wBits: number): StageConstants => ({
  wBits,
  weights: Array.from(L.w),
  bias: Array.from(L.bias),
  M: Array.from(L.M),
  S: Array.from(L.shift),
  lo: L.lo,
  hi: L.hi,
});

export function stageConstants(net: NetWeights, st: StagePlan): StageConstants {
  const wBits = net.quantBits;
  if (st.role === 'gate') {
    const g = st.name.slice(0, -3); // 'gru0.zr' -> 'gru0'
    const z = layer(net, `${g}.z`), r = layer(net, `${g}.r`);
    if (z.lo !== r.lo || z.hi !== r.hi) throw new RangeError(`${g}: z and r clamp ranges differ ([${z.lo},${z.hi}] vs [${r.lo},${r.hi}]); one gate unit needs one range`);
    const a = plain(z, wBits), b = plain(r, wBits);
    return { wBits, weights: [...a.weights, ...b.weights], bias: [...a.bias, ...b.bias], M: [...a.M, ...b.M], S: [...a.S, ...b.S], lo: a.lo, hi: a.hi };
  }
  const L = layer(net, st.name);
  // A head_x0 head may hold wider X0 taps (head_x0_bits): the stage's multipliers take the wider
  // range, and each lane's digit rows follow its own weights (conv_unit digits.ts).
  if (st.role === 'head' && L.kind === 'conv') return plain(L, headX0Bits(net.config));
  if (st.role !== 'head') return plain(L, wBits);
  return deconvAsPixelshuffle(L, wBits);
}

/**
 * Stride-3 transposed conv (kernel K, padding P = (K-3)/2, one output channel) rewritten as a
 * k x k conv from cell (i, j)'s neighbourhood to its 9 HR pixels (py, px): the HR pixel
 * (3i+py, 3j+px) gets W[ci][ky][kx] * H[ci][i+dy][j+dx] when ky = py - 3dy + P and
 * kx = px - 3dx + P lie inside the kernel (docs/fixed-point.md 4.4). Same bias, M and S for
 * all nine outputs, so every accumulator is the same integer sum the golden model forms.
 */
export function deconvAsPixelshuffle(L: FixedLayer, wBits: number): StageConstants {
  const K = L.k, P = (K - 3) >> 1, k = headKernel(K), r = (k - 1) >> 1, cin = L.cin;
  const w: number[] = [];
  for (let py = 0; py < 3; py++) {
    for (let px = 0; px < 3; px++) {
      for (let ci = 0; ci < cin; ci++) {
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            const ky = py - 3 * (a - r) + P, kx = px - 3 * (b - r) + P;
            w.push(ky >= 0 && ky < K && kx >= 0 && kx < K ? L.w[(ci * K + ky) * K + kx] : 0);
          }
        }
      }
    }
  }
  return { wBits, weights: w, bias: Array(9).fill(L.bias[0]), M: Array(9).fill(L.M[0]), S: Array(9).fill(L.shift[0]), lo: L.lo, hi: L.hi };
}
