// Tutorial block (docs/dsl.md): an AXI4-Stream stage that outputs the running sum of each
// line (tlast ends a line and restarts the sum), with its TypeScript reference model.
import { Module, defineParams, int } from '../index.ts';

export const runningSumParams = defineParams(
  'running_sum',
  {
    dataBits: int({ min: 1, max: 32, default: 8, doc: 'input sample bits (unsigned)' }),
    sumBits: int({ min: 2, max: 48, default: 16, doc: 'output sum bits (wraps modulo 2^sumBits)' }),
  },
  [(p) => (p.sumBits > p.dataBits ? undefined : `sumBits = ${p.sumBits} must exceed dataBits = ${p.dataBits}`)],
);
export type RunningSumParams = ReturnType<typeof runningSumParams.validate>;

export function runningSum(config: Partial<RunningSumParams> = {}): Module {
  const p = runningSumParams.validate(config);
  const m = new Module('running_sum', { params: p, doc: 'running sum per line of an AXI4-Stream (tlast restarts it)' });
  const sData = m.input('s_axis_tdata', p.dataBits);
  const sValid = m.input('s_axis_tvalid', 1);
  const sReady = m.output('s_axis_tready', 1);
  const sLast = m.input('s_axis_tlast', 1);
  const mData = m.output('m_axis_tdata', p.sumBits);
  const mValid = m.output('m_axis_tvalid', 1);
  const mReady = m.input('m_axis_tready', 1);
  const mLast = m.output('m_axis_tlast', 1);

  const acc = m.reg('acc', p.sumBits, { reset: 0 });
  const outValid = m.reg('out_valid', 1, { reset: 0 });
  const outData = m.reg('out_data', p.sumBits, { reset: null }); // qualified by out_valid: no reset needed
  const outLast = m.reg('out_last', 1, { reset: null });

  // One output register: accept a new sample when it is empty or being emptied.
  sReady.set(outValid.not().or(mReady));
  const take = m.wire('take', sValid.and(sReady));
  const sum = m.wire('sum', acc.add(sData.zext(p.sumBits), p.sumBits)); // explicit width: wraps
  m.when(take, () => {
    outData.set(sum);
    outLast.set(sLast);
    outValid.set(1);
    m.when(sLast, () => acc.set(0)).otherwise(() => acc.set(sum));
  }).elsewhen(mReady, () => outValid.set(0));

  mData.set(outData);
  mValid.set(outValid);
  mLast.set(outLast);
  return m;
}

/** Reference model: the same sums, computed on plain numbers. */
export function runningSumModel(p: RunningSumParams, samples: { data: bigint; last?: boolean }[]): { data: bigint; last: boolean }[] {
  const mod = 1n << BigInt(p.sumBits);
  let acc = 0n;
  return samples.map((s) => {
    const sum = (acc + s.data) % mod;
    acc = s.last ? 0n : sum;
    return { data: sum, last: !!s.last };
  });
}
