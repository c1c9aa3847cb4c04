// Pipeline register slice: one AXI4-Stream entry, full throughput. Registers the forward path
// (tdata/tvalid/tlast/tuser); s_axis_tready = !m_valid || m_axis_tready is combinational.
import { cat, Module } from '../../core/index.ts';
import { entryBits, streamSliceParams, type SkidParams, type SliceInfo } from './skid_buffer.ts';
import { streamIn, streamOut } from './stream.ts';

export function pipeSliceName(p: SkidParams): string {
  return `axis_pipe_w${p.width}${p.last ?? true ? 'l' : ''}${p.user ?? true ? 'u' : ''}`;
}

export function pipeSliceFlops(p: SkidParams): number {
  return entryBits(p) + 1;
}

export function buildPipeSlice(config: Partial<SkidParams> = {}): SliceInfo {
  const p = streamSliceParams.validate(config);
  const m = new Module(pipeSliceName(p), { params: { block: 'axis_pipe', ...p }, doc: `AXI4-Stream pipeline slice, ${p.width}-bit tdata: 1 entry, latency 1` });
  const shape = { width: p.width, last: p.last, user: p.user, ready: true };
  const s = streamIn(m, shape);
  const o = streamOut(m, shape);
  const eb = entryBits(p);
  const mValid = m.regInit('m_valid', 1, 0);
  const mData = m.reg('m_data', eb, { reset: null });
  const sReady = m.wire('s_ready', mValid.not().or(o.readySig!));
  m.when(sReady, () => {
    mValid.set(s.valid);
    mData.set(cat(...[s.userSig, s.lastSig].filter((x) => x !== undefined), s.data));
  });
  s.driveReady(sReady);
  o.driveValid(mValid);
  o.driveData(mData.slice(p.width - 1, 0));
  let bit = p.width;
  if (o.last) o.driveLast(mData.bit(bit++));
  if (o.user) o.driveUser(mData.bit(bit++));
  return { module: m, latency: 1, flops: pipeSliceFlops(p) };
}
