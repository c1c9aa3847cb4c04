// Horizontal inverse 5/3 lifting core (README.md): Q (low, high) pairs per beat in, 2Q samples
// out, exactly model/camera/dwt.ts inverse53 (hi[-1] := hi[0], x[N] := x[N-2], floor shifts).
// Registers only: a hold register keeps one pair group until the next group's first even sample
// (its right neighbour) can be computed, or sends it at once when it ends its row (mirror). One
// lifting stage register (even samples), one for the right neighbour, then the odd samples are
// finished into a credit-guarded FIFO (axis/credit.ts creditOutput).
import { cat, defineParams, int, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';

export const idwt53hParams = defineParams('idwt53_h', {
  pairs: int({ min: 1, max: 32, default: 2, doc: '(low, high) pairs per input beat (Q); 2Q samples per output beat' }),
  inBits: int({ min: 3, max: 24, default: 12, doc: 'signed coefficient width (stage 1: 12, stage 2: 13)' }),
  outBits: int({ min: 3, max: 24, default: 12, doc: 'signed sample width' }),
  fifoDepth: int({ min: 4, max: 64, default: 6, doc: 'output FIFO entries; >= 6 sustains one beat per clock' }),
});

export type Idwt53hConfig = ReturnType<typeof idwt53hParams.validate>;

export interface Idwt53hInfo {
  module: Module;
  flops: number;
}

export function idwt53hFlops(p: Idwt53hConfig): number {
  const Q = p.pairs, iw = p.inBits, ow = p.outBits;
  const hold = 2 * Q * iw + 5 + iw;
  const s1 = Q * (ow + iw) + (iw + 1) + iw + 3;
  const s2 = Q * (ow + iw) + ow + 3;
  return hold + s1 + s2 + creditOutputFlops(2 * Q * ow, p.fifoDepth);
}

export function buildIdwt53h(config: Partial<Idwt53hConfig> = {}): Idwt53hInfo {
  const p = idwt53hParams.validate(config);
  const Q = p.pairs, iw = p.inBits, ow = p.outBits, D = p.fifoDepth;
  const m = new Module(`idwt53_h_q${Q}_i${iw}_o${ow}_d${D}`, {
    params: { block: 'idwt53_h', ...p },
    doc: `horizontal inverse 5/3 lifting, ${Q} (low, high) ${iw}-bit signed pairs per beat -> ${2 * Q} ${ow}-bit signed samples per beat`,
  });
  const s = streamIn(m, { width: 2 * Q * iw });
  const o = streamOut(m, { width: 2 * Q * ow });
  const lo = (j: number): Expr => s.data.slice(iw * j + iw - 1, iw * j).asSigned();
  const hi = (j: number): Expr => s.data.slice(iw * (Q + j) + iw - 1, iw * (Q + j)).asSigned();
  // even = lo - ((h[-1] + h + 2) >> 2)
  const even = (l: Expr, hm1: Expr, h: Expr): Expr => l.sub(hm1.add(h).add(2).shr(2));

  // ---- credits: one per group, taken at input, returned when its beat leaves the FIFO ----------
  const co = creditOutput(m, s, o, D);
  const groupTake = co.take;

  // ---- hold: the group whose right neighbour is awaited --------------------------------------------
  const hLo = Array.from({ length: Q }, (_, j) => m.reg(`hold_lo_${j}`, iw, { reset: null, signed: true }));
  const hHi = Array.from({ length: Q }, (_, j) => m.reg(`hold_hi_${j}`, iw, { reset: null, signed: true }));
  const holdValid = m.regInit('hold_valid', 1, 0);
  const holdLast = m.regInit('hold_last', 1, 0, { doc: 'held group ends its row: it leaves without waiting' });
  const holdUser = m.regInit('hold_user', 1, 0);
  const holdFirst = m.regInit('hold_first', 1, 0, { doc: 'held group starts its row: hi[-1] := hi[0]' });
  const rowStart = m.regInit('row_start', 1, 1, { doc: 'the next group starts a row' });
  const prevHi = m.reg('prev_hi', iw, { reset: null, signed: true, doc: 'last hi of the group before the held one' });
  const fire = m.wire('fire', holdValid.and(holdLast.or(groupTake)));
  m.when(groupTake, () => {
    for (let j = 0; j < Q; j++) {
      hLo[j].set(lo(j));
      hHi[j].set(hi(j));
    }
    holdValid.set(1);
    holdLast.set(s.lastSig!);
    holdUser.set(s.userSig!);
    holdFirst.set(rowStart);
    rowStart.set(s.lastSig!);
  }).elsewhen(fire, () => holdValid.set(0));
  m.when(fire, () => prevHi.set(hHi[Q - 1]));

  // ---- stage 1: even samples of the held group and its right neighbour x[2Q] ----------------------
  const v1 = m.regInit('v1', 1, 0);
  const e1: Signal[] = [], h1: Signal[] = [];
  const he: Expr[] = [];
  for (let j = 0; j < Q; j++) {
    const hm1 = j > 0 ? hHi[j - 1] : mux(holdFirst, hHi[0], prevHi);
    he.push(m.wire(`even_${j}`, even(hLo[j], hm1, hHi[j]).resize(ow)));
    e1.push(m.reg(`e1_${j}`, ow, { reset: null, signed: true }));
    h1.push(m.reg(`h1_${j}`, iw, { reset: null, signed: true }));
    e1[j].set(he[j]);
    h1[j].set(hHi[j]);
  }
  // Right neighbour: the next group's first even sample lo - quad, or x[N] := x[N-2] at a row end.
  // Only the quad sum is taken from the input here (short input-to-register path); the
  // subtraction happens in stage 2.
  const quad1 = m.reg('quad1', iw + 1, { reset: null, signed: true, doc: '(hi[-1] + hi + 2) >> 2 of the next group\'s first pair' });
  const nlo1 = m.reg('nlo1', iw, { reset: null, signed: true, doc: 'lo of the next group\'s first pair' });
  quad1.set(hHi[Q - 1].add(hi(0)).add(2).shr(2).resize(iw + 1));
  nlo1.set(lo(0));
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  v1.set(fire);
  last1.set(holdLast);
  user1.set(holdUser);

  // ---- stage 2: the right neighbour x[2Q] --------------------------------------------------------
  const v2 = m.regInit('v2', 1, 0);
  const e2: Signal[] = [], h2: Signal[] = [];
  for (let j = 0; j < Q; j++) {
    e2.push(m.reg(`e2_${j}`, ow, { reset: null, signed: true }));
    h2.push(m.reg(`h2_${j}`, iw, { reset: null, signed: true }));
    e2[j].set(e1[j]);
    h2[j].set(h1[j]);
  }
  const xn2 = m.reg('xn2', ow, { reset: null, signed: true });
  xn2.set(mux(last1, e1[Q - 1], nlo1.sub(quad1).resize(ow)));
  const last2 = m.reg('last2', 1, { reset: null });
  const user2 = m.reg('user2', 1, { reset: null });
  v2.set(v1);
  last2.set(last1);
  user2.set(user1);

  // ---- odd = hi + ((x[2j] + x[2j+2]) >> 1) into the output FIFO -----------------------------------
  const samples: Expr[] = [];
  for (let j = 0; j < Q; j++) {
    const right = j < Q - 1 ? e2[j + 1] : xn2;
    samples.push(e2[j], m.wire(`odd_${j}`, h2[j].add(e2[j].add(right).shr(1)).resize(ow)));
  }
  co.push(v2, cat(...[...samples].reverse().map((x) => x.asUnsigned())), last2, user2);
  return { module: m, flops: idwt53hFlops(p) };
}
