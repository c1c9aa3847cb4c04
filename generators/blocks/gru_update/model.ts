// Bit-exact reference model of the ConvGRU elementwise unit (docs/fixed-point.md 4.2/4.3).
// The LUTs are the golden model's own (sigmoidLut/tanhLut in model/net/weights.ts); the two
// formulas are inlined in model/net/fixed.ts (no exported function), so they are restated here
// and checked against that model's traced tensors of a real frame pair in
// test/blocks/gru_update.test.ts.
import { sigmoidLut, tanhLut } from '../../../model/net/weights.ts';
import { checkSigned } from '../bits.ts';

export const SIG: Int32Array = sigmoidLut();
export const TANH: Int32Array = tanhLut();

export type GruMode = 'rh' | 'update';

/** RH = (R * H + 128) >> 8 (R uint8 gate, H int8). */
export function resetHidden(r: number, h: number): number {
  return (r * h + 128) >> 8;
}

/** H' = sat8(H + ((Z * (N - H) + 128) >> 8)) (Z uint8 gate, N, H int8). */
export function updateHidden(z: number, n: number, h: number): number {
  const v = h + ((z * (n - h) + 128) >> 8);
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

/** RH from the gate pre-activation: R = SIG[PR + 128]. */
export function gruRhValue(pr: number, h: number): number {
  return resetHidden(SIG[pr + 128], h);
}

/** H' from the pre-activations: Z = SIG[PZ + 128], N = TANH[PN + 128]. */
export function gruUpdateValue(pz: number, pn: number, h: number): number {
  return updateHidden(SIG[pz + 128], TANH[pn + 128], h);
}

/** One beat: lanes of PR and H ('rh') or PZ, PN and H ('update'), all int8. */
export interface GruBeat {
  pr?: readonly number[];
  pz?: readonly number[];
  pn?: readonly number[];
  h: readonly number[];
}

/** Fields of a beat in tdata order, lowest first. */
export function gruFields(mode: GruMode): ('pr' | 'pz' | 'pn' | 'h')[] {
  return mode === 'rh' ? ['pr', 'h'] : ['pz', 'pn', 'h'];
}

export function gruModel(mode: GruMode, lanes: number, beats: readonly GruBeat[]): number[][] {
  return beats.map((b, i) => {
    for (const f of gruFields(mode)) {
      const v = b[f];
      if (!v || v.length !== lanes) throw new RangeError(`gru_update model (${mode}) beat ${i}: field ${f} has ${v?.length ?? 0} lanes, expected ${lanes}`);
      v.forEach((x, k) => checkSigned(x, 8, `gru_update model (${mode}) beat ${i} ${f} lane ${k}`));
    }
    return mode === 'rh' ? b.h.map((h, k) => gruRhValue(b.pr![k], h)) : b.h.map((h, k) => gruUpdateValue(b.pz![k], b.pn![k], h));
  });
}
