// Skid buffer: a 2-entry, full-throughput AXI4-Stream register slice with every output
// (including s_axis_tready) driven by a flop, so it cuts both the forward and the ready path.
import { bool, cat, defineParams, int, MAX_WIDTH, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { streamIn, streamOut } from './stream.ts';

export const streamSliceParams = defineParams('axis_slice', {
  width: int({ min: 1, max: MAX_WIDTH - 2, default: 8, doc: 'tdata width' }),
  last: bool({ default: true, doc: 'has tlast' }),
  user: bool({ default: true, doc: 'has tuser (start of frame)' }),
});

export interface SkidParams {
  width: number;
  last?: boolean;
  user?: boolean;
}

export interface SliceInfo {
  module: Module;
  /** Cycles from an accepted input beat to it being offered at the output. */
  latency: number;
  /** Flip-flops in the slice. */
  flops: number;
}

/** Bits stored per entry: tdata plus the present sideband bits. */
export function entryBits(p: SkidParams): number {
  return p.width + (p.last ?? true ? 1 : 0) + (p.user ?? true ? 1 : 0);
}

export function skidName(p: SkidParams): string {
  return `axis_skid_w${p.width}${p.last ?? true ? 'l' : ''}${p.user ?? true ? 'u' : ''}`;
}

export function skidFlops(p: SkidParams): number {
  return 2 * entryBits(p) + 2;
}

/**
 * The skid buffer's register pair: an output register and one skid entry. A beat enters when
 * `inValid` is high and the skid entry is empty (`inFire`); the output register refills from the
 * skid entry first (order), else from the input. Shared by the skid buffer and the stream join.
 */
export function skidRegisters(m: Module, inValid: Expr, inEntry: Expr, outReady: Expr, skidDoc: string): { mValid: Signal; mData: Signal; sValid: Signal; inFire: Signal } {
  const eb = inEntry.width;
  const mValid = m.regInit('m_valid', 1, 0, { doc: 'output register holds a beat' });
  const mData = m.reg('m_data', eb, { reset: null });
  const sValid = m.regInit('skid_valid', 1, 0, { doc: skidDoc });
  const sData = m.reg('skid_data', eb, { reset: null });

  const inFire = m.wire('in_fire', inValid.and(sValid.not()));
  const outFree = m.wire('out_free', mValid.not().or(outReady));
  m.when(outFree, () => {
    // The output register is free this cycle: refill from the skid entry first (order), else from the input.
    mValid.set(sValid.or(inFire));
    mData.set(mux(sValid, sData, inEntry));
    sValid.set(0);
  }).otherwise(() => {
    m.when(inFire, () => {
      sValid.set(1);
      sData.set(inEntry);
    });
  });
  return { mValid, mData, sValid, inFire };
}

export function buildSkidBuffer(config: Partial<SkidParams> = {}): SliceInfo {
  const p = streamSliceParams.validate(config);
  const m = new Module(skidName(p), { params: { block: 'axis_skid', ...p }, doc: `AXI4-Stream skid buffer, ${p.width}-bit tdata: 2 entries, latency 1, all outputs registered` });
  const shape = { width: p.width, last: p.last, user: p.user, ready: true };
  const s = streamIn(m, shape);
  const o = streamOut(m, shape);
  // Entry = {tuser, tlast, tdata} (present fields only).
  const inEntry = cat(...[s.userSig, s.lastSig].filter((x) => x !== undefined), s.data);
  const { mValid, mData, sValid } = skidRegisters(m, s.valid, inEntry, o.readySig!, 'skid register holds a beat (then s_axis_tready is low)');
  s.driveReady(sValid.not());
  o.driveValid(mValid);
  o.driveData(mData.slice(p.width - 1, 0));
  let bit = p.width;
  if (o.last) o.driveLast(mData.bit(bit++));
  if (o.user) o.driveUser(mData.bit(bit++));
  return { module: m, latency: 1, flops: skidFlops(p) };
}
