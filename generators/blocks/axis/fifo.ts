// Synchronous AXI4-Stream FIFO, first-word-fall-through: storage in a memory with an
// asynchronous read of the head entry (flip-flops + read mux on Sky130 without RAM macros).
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux } from '../../core/index.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { entryBits, type SkidParams, type SliceInfo } from './skid_buffer.ts';
import { streamIn, streamOut } from './stream.ts';

export interface FifoParams extends SkidParams {
  /** Entries, >= 2. */
  depth: number;
}

export const fifoParams = defineParams('axis_fifo', {
  width: int({ min: 1, max: MAX_WIDTH - 2, default: 8, doc: 'tdata width' }),
  depth: int({ min: 2, max: 65536, default: 4, doc: 'entries' }),
  last: bool({ default: true, doc: 'has tlast' }),
  user: bool({ default: true, doc: 'has tuser (start of frame)' }),
});

export function fifoName(p: FifoParams): string {
  return `axis_fifo_w${p.width}d${p.depth}${p.last ?? true ? 'l' : ''}${p.user ?? true ? 'u' : ''}`;
}

function ptrBits(depth: number): number {
  return Math.max(1, ceilLog2(depth));
}

export function fifoFlops(p: FifoParams): number {
  return p.depth * entryBits(p) + 2 * ptrBits(p.depth) + ceilLog2(p.depth + 1);
}

export function buildFifo(config: Partial<FifoParams> = {}): SliceInfo {
  const p = fifoParams.validate(config);
  const m = new Module(fifoName(p), { params: { block: 'axis_fifo', ...p }, doc: `AXI4-Stream FIFO, ${p.depth} x ${p.width}-bit, first-word-fall-through` });
  const shape = { width: p.width, last: p.last, user: p.user, ready: true };
  const s = streamIn(m, shape);
  const o = streamOut(m, shape);
  const eb = entryBits(p);
  const pb = ptrBits(p.depth);
  const cb = ceilLog2(p.depth + 1);
  const mem = m.memory('mem', { depth: p.depth, width: eb });
  const wptr = m.regInit('wptr', pb, 0);
  const rptr = m.regInit('rptr', pb, 0);
  const count = m.regInit('count', cb, 0, { doc: 'entries stored' });
  const sReady = m.wire('s_ready', count.ne(p.depth));
  const mValid = m.wire('m_valid', count.ne(0));
  const push = m.wire('push', s.valid.and(sReady));
  const pop = m.wire('pop', mValid.and(o.readySig!));
  const next = (ptr: typeof wptr) => mux(ptr.eq(p.depth - 1), lit(0, pb), ptr.add(1, pb));
  m.when(push, () => {
    mem.write(wptr, cat(...[s.userSig, s.lastSig].filter((x) => x !== undefined), s.data));
    wptr.set(next(wptr));
  });
  m.when(pop, () => rptr.set(next(rptr)));
  m.when(push.and(pop.not()), () => count.set(count.add(1, cb))).elsewhen(pop.and(push.not()), () => count.set(count.sub(1, cb)));
  const head = m.wire('head', mem.readAsync(rptr));
  s.driveReady(sReady);
  o.driveValid(mValid);
  o.driveData(head.slice(p.width - 1, 0));
  let bit = p.width;
  if (o.last) o.driveLast(head.bit(bit++));
  if (o.user) o.driveUser(head.bit(bit++));
  return { module: m, latency: 1, flops: fifoFlops(p) };
}
