// Stream fork: one input stream -> N outputs carrying identical beats. Each output handshakes
// on its own: a per-output "taken" flag remembers that output k already took the current
// input beat (its tvalid then drops), and the input beat is consumed in the cycle the last
// outstanding output takes it. No storage for data: zero latency, m_axis_<k>_tdata is
// s_axis_tdata; s_axis_tready = AND_k (taken_k || m_axis_<k>_tready) is combinational in the
// outputs' tready (put a skid buffer on an output to cut that path).
import { bool, defineParams, int, MAX_WIDTH, Module } from '../../core/index.ts';
import { streamIn, streamOut } from './stream.ts';
import type { SliceInfo } from './skid_buffer.ts';

export const forkParams = defineParams('axis_fork', {
  width: int({ min: 1, max: MAX_WIDTH - 2, default: 8, doc: 'tdata width' }),
  outputs: int({ min: 2, max: 16, default: 2, doc: 'number of output streams' }),
  last: bool({ default: true, doc: 'has tlast' }),
  user: bool({ default: true, doc: 'has tuser (start of frame)' }),
});

export type ForkConfig = ReturnType<typeof forkParams.validate>;

/** Output k's stream prefix. */
export function forkOutputPrefix(k: number): string {
  return `m_axis_${k}`;
}

export function forkName(p: ForkConfig): string {
  return `axis_fork_w${p.width}n${p.outputs}${p.last ? 'l' : ''}${p.user ? 'u' : ''}`;
}

export function buildAxisFork(config: Partial<ForkConfig> = {}): SliceInfo {
  const p = forkParams.validate(config);
  const m = new Module(forkName(p), { params: { block: 'axis_fork', ...p }, doc: `AXI4-Stream fork, ${p.width}-bit tdata to ${p.outputs} outputs, independent handshakes, latency 0` });
  const shape = { width: p.width, last: p.last, user: p.user };
  const s = streamIn(m, shape);
  const outs = Array.from({ length: p.outputs }, (_, k) => streamOut(m, shape, forkOutputPrefix(k)));
  const taken = outs.map((_, k) => m.regInit(`taken_${k}`, 1, 0, { doc: `output ${k} already took the current input beat` }));
  const done = outs.map((o, k) => taken[k].or(o.readySig!));
  const sReady = m.wire('s_ready', done.reduce((a, b) => a.and(b)));
  const consume = m.wire('consume', s.valid.and(sReady));
  outs.forEach((o, k) => {
    const v = m.wire(`out_valid_${k}`, s.valid.and(taken[k].not()));
    o.driveValid(v);
    o.driveData(s.data);
    if (p.last) o.driveLast(s.lastSig!);
    if (p.user) o.driveUser(s.userSig!);
    m.when(consume, () => taken[k].set(0)).elsewhen(v.and(o.readySig!), () => taken[k].set(1));
  });
  s.driveReady(sReady);
  return { module: m, latency: 0, flops: p.outputs };
}
