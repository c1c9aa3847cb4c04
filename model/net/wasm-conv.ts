// Compiles one fixed-point conv layer (docs/fixed-point.md 3) into a WebAssembly SIMD
// function for a given frame geometry. Tensors are HWC int16 in linear memory, padded
// by one zero cell around the grid, with channel stride `cp` (8-aligned slots, or 4 for
// the 4-channel input), so a 128-bit load fetches 8 consecutive int16 of a window row.
// Per output cell each such chunk is loaded once and multiplied into every output
// channel's i32x4 accumulator with i32x4.dot_i16x8_s against the weights baked in as
// v128 constants (all-zero chunks are skipped); then the exact requantisation in i64:
//   clamp((acc * M + 2^(S-1)) >> S, lo, hi)  (i64.shr_s is the spec's arithmetic shift).
import { Code, T, type FuncDef } from './wasm-asm.ts';
import type { FixedLayer } from './weights.ts';

export interface ConvPlan {
  layer: FixedLayer;
  /** Tensor channel of each layer input channel (lets a conv read slots of a wider tensor). */
  inMap: number[];
  cpIn: number;
  cpOut: number;
  /** First tensor channel the outputs are written to. */
  oc0: number;
}

export interface Grid {
  gh: number;
  gw: number;
}

export function convFunc(name: string, plan: ConvPlan, grid: Grid): FuncDef {
  const L = plan.layer, k = L.k, pk = (k - 1) >> 1, { gh, gw } = grid, pw = gw + 2;
  const { cpIn, cpOut, oc0, inMap } = plan;
  // The k cells of one window row are contiguous in HWC memory (k * cpIn int16), so
  // each row is fetched as ceil(k * cpIn / 8) 8-lane chunks: with cpIn = 4 (the 4-channel
  // input) one chunk covers two taps. Lane f of a row maps to cell f / cpIn, channel f % cpIn.
  const chanOf = new Map<number, number>();
  inMap.forEach((tc, ci) => chanOf.set(tc, ci));
  const chunks = Math.ceil((k * cpIn) / 8);
  type G = { off: number; vecs: (Uint8Array | null)[] };
  const taps: G[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let q = 0; q < chunks; q++) {
      const vecs: (Uint8Array | null)[] = [];
      let any = false;
      for (let co = 0; co < L.cout; co++) {
        const lanes = new Int16Array(8);
        let nz = false;
        for (let l = 0; l < 8; l++) {
          const f = q * 8 + l, kx = Math.floor(f / cpIn), ci = chanOf.get(f % cpIn);
          if (kx >= k || ci === undefined) continue;
          const w = L.w[((co * L.cin + ci) * k + ky) * k + kx];
          lanes[l] = w;
          if (w !== 0) nz = true;
        }
        vecs.push(nz ? new Uint8Array(lanes.buffer) : null);
        any ||= nz;
      }
      if (any) taps.push({ off: (ky * pw * cpIn + q * 8) * 2, vecs });
    }
  }
  const IN = 0, OUT = 1, I = 2, J = 3, P = 4, Q = 5, X = 6, V = 7, ACC = 8;
  const c = new Code();
  const rowIn = pw * cpIn * 2, rowOut = pw * cpOut * 2;
  const pOff = ((1 - pk) * pw + (1 - pk)) * cpIn * 2, qOff = ((pw + 1) * cpOut + oc0) * 2;
  c.i32(0).set(I);
  c.loop();
  c.get(IN).get(I).i32(rowIn).i32mul().i32add().i32(pOff).i32add().set(P);
  c.get(OUT).get(I).i32(rowOut).i32mul().i32add().i32(qOff).i32add().set(Q);
  c.i32(gw).set(J);
  c.loop();
  const started = new Array<boolean>(L.cout).fill(false);
  for (const t of taps) {
    c.get(P).v128load(t.off).set(V);
    t.vecs.forEach((w, co) => {
      if (!w) return;
      if (started[co]) c.get(ACC + co);
      c.get(V).v128const(w).i32x4DotI16x8S();
      if (started[co]) c.i32x4Add();
      c.set(ACC + co);
      started[co] = true;
    });
  }
  for (let co = 0; co < L.cout; co++) {
    if (started[co]) {
      c.get(ACC + co).i32x4ExtractLane(0).get(ACC + co).i32x4ExtractLane(1).i32add();
      c.get(ACC + co).i32x4ExtractLane(2).i32add().get(ACC + co).i32x4ExtractLane(3).i32add();
      c.i32(L.bias[co]).i32add();
    } else c.i32(L.bias[co]);
    const S = L.shift[co];
    c.i64extendI32S().i64(L.M[co]).i64mul().i64(2n ** BigInt(S - 1)).i64add().i64(S).i64shrS().set(X);
    c.i64(L.lo).get(X).get(X).i64(L.lo).i64ltS().select().set(X);
    c.i64(L.hi).get(X).get(X).i64(L.hi).i64gtS().select().set(X);
    c.get(Q).get(X).i32wrapI64().i32store16(co * 2);
  }
  c.get(P).i32(cpIn * 2).i32add().set(P);
  c.get(Q).i32(cpOut * 2).i32add().set(Q);
  c.get(J).i32(1).i32sub().tee(J).i32(0).i32ne().brIf(0);
  c.end();
  c.get(I).i32(1).i32add().tee(I).i32(gh).i32ltS().brIf(0);
  c.end();
  return { name, params: 2, locals: [T.i32, T.i32, T.i32, T.i32, T.i64, T.v128, ...Array(L.cout).fill(T.v128)], code: c };
}
