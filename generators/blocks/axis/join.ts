// Stream join: N input streams -> one output whose tdata is their concatenation (input 0 in the
// low bits). A beat moves when every input is valid and the output register can take it;
// tlast/tuser come from one input (`sideFrom`). The output is a skid buffer (two registers), so
// every m_axis_* output and the inputs' tready are functions of registers and input valids
// only: no combinational path from m_axis_tready to any s_axis_<i>_tready.
import { bool, cat, defineParams, int, intList, MAX_WIDTH, Module, type Expr } from '../../core/index.ts';
import { streamIn, streamOut } from './stream.ts';
import { skidRegisters, type SliceInfo } from './skid_buffer.ts';

export const joinParams = defineParams(
  'axis_join',
  {
    widths: intList({ min: 1, max: MAX_WIDTH - 2, minLen: 2, maxLen: 16, default: [8, 8], doc: 'tdata width of each input, input 0 first (lowest bits of the output)' }),
    last: bool({ default: true, doc: 'streams have tlast' }),
    user: bool({ default: true, doc: 'streams have tuser (start of frame)' }),
    sideFrom: int({ min: 0, max: 15, default: 0, doc: "input whose tlast/tuser the output carries (the others' are ignored)" }),
    registered: bool({ default: true, doc: 'true: skid-buffered output (no ready path through the join); false: no registers, m_axis is the inputs themselves (valid = all valid, each tready = m_axis_tready && all valid), latency 0' }),
  },
  [
    (p) => (p.sideFrom < p.widths.length ? undefined : `sideFrom = ${p.sideFrom} names no input (there are ${p.widths.length})`),
    (p) => (p.widths.reduce((a, b) => a + b, 0) <= MAX_WIDTH - 2 ? undefined : `widths sum to ${p.widths.reduce((a, b) => a + b, 0)} bits, more than ${MAX_WIDTH - 2}`),
  ],
);

export type JoinConfig = ReturnType<typeof joinParams.validate>;

/** Input i's stream prefix. */
export function joinInputPrefix(i: number): string {
  return `s_axis_${i}`;
}

export function joinName(p: JoinConfig): string {
  return `axis_join_w${p.widths.join('_')}${p.last ? 'l' : ''}${p.user ? 'u' : ''}${p.sideFrom ? `_s${p.sideFrom}` : ''}${p.registered ? '' : '_c'}`;
}

export function joinFlops(p: JoinConfig): number {
  if (!p.registered) return 0;
  const eb = p.widths.reduce((a, b) => a + b, 0) + (p.last ? 1 : 0) + (p.user ? 1 : 0);
  return 2 * eb + 2;
}

export function buildAxisJoin(config: Partial<JoinConfig> = {}): SliceInfo {
  const p = joinParams.validate(config);
  const W = p.widths.reduce((a, b) => a + b, 0);
  // (registered, the default, keeps its original params: the same Verilog as before the option)
  const { registered, ...base } = p;
  const m = new Module(joinName(p), { params: { block: 'axis_join', ...base, ...(registered ? {} : { registered }) }, doc: `AXI4-Stream join of ${p.widths.length} streams (${p.widths.join(' + ')} bits), ${registered ? 'skid-buffered output, latency 1' : 'combinational (no registers), latency 0'}` });
  const ins = p.widths.map((w, i) => streamIn(m, { width: w, last: p.last, user: p.user }, joinInputPrefix(i)));
  const o = streamOut(m, { width: W, last: p.last, user: p.user });
  ins.forEach((s, i) => {
    if (i === p.sideFrom) return;
    if (s.lastSig) m.unused(s.lastSig, `tlast is taken from input ${p.sideFrom}`);
    if (s.userSig) m.unused(s.userSig, `tuser is taken from input ${p.sideFrom}`);
  });
  const side = ins[p.sideFrom];
  // Entry = {tuser, tlast, tdata_{n-1}, ..., tdata_0} (present sideband only).
  const inEntry = cat(...[side.userSig, side.lastSig].filter((x): x is Expr => x !== undefined), ...ins.map((s) => s.data).reverse());
  const allValid = m.wire('all_valid', ins.map((s) => s.valid).reduce((a, b) => a.and(b)));
  if (!registered) {
    // Every source holds its beat until its handshake, so the concatenation is a valid stream;
    // all inputs move together, in the cycle the output does.
    const fire = m.wire('fire', allValid.and(o.readySig!));
    for (const s of ins) s.driveReady(fire);
    o.driveValid(allValid);
    o.driveData(inEntry.slice(W - 1, 0));
    let b = W;
    if (p.last) o.driveLast(inEntry.bit(b++));
    if (p.user) o.driveUser(inEntry.bit(b++));
    return { module: m, latency: 0, flops: 0 };
  }
  // The skid buffer's register pair, with "all inputs valid" as the input valid.
  const { mValid, mData, inFire } = skidRegisters(m, allValid, inEntry, o.readySig!, 'skid register holds a beat (then every input tready is low)');
  for (const s of ins) s.driveReady(inFire);
  o.driveValid(mValid);
  o.driveData(mData.slice(W - 1, 0));
  let bit = W;
  if (p.last) o.driveLast(mData.bit(bit++));
  if (p.user) o.driveUser(mData.bit(bit++));
  return { module: m, latency: 1, flops: joinFlops(p) };
}
