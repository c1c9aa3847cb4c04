// Credit-based output for a free-running pipeline: instead of one stall enable fanning out to
// every flop, the datapath always advances (valid bits travel with the data) and its results
// land in a small output FIFO (`axis_fifo`). A credit counter, reset to the FIFO depth, gates
// s_axis_tready: a credit leaves with every accepted beat and comes back when a beat leaves
// the FIFO, so the beats in flight plus those stored never exceed the depth and the FIFO is
// never full when the pipeline pushes. Full throughput needs depth >= pipeline registers + 2
// (the credit round trip: accept, the pipeline, FIFO write, pop, counter update).
import { lit, type Expr, type Module, type Signal } from '../../core/index.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { buildFifo, fifoFlops } from './fifo.ts';
import { instSink, instSource, connectStream, type StreamSink, type StreamSource } from './stream.ts';

export interface CreditOutput {
  /** s_axis handshake of this cycle (s_axis_tvalid && s_axis_tready). */
  take: Expr;
  /** Write the pipeline's last stage into the FIFO: `valid` must be the take delayed by the pipeline. */
  push(valid: Expr, data: Expr, last?: Expr, user?: Expr): void;
  /** Flip-flops added: the FIFO plus the credit counter. */
  flops: number;
}

/** Counter bits of a credit counter for `depth` credits. */
export function creditBits(depth: number): number {
  return ceilLog2(depth + 1);
}

/** Flip-flops of creditOutput for a `width`-bit FIFO of `depth` entries (with tlast and tuser). */
export function creditOutputFlops(width: number, depth: number, last = true, user = true): number {
  return fifoFlops({ width, depth, last, user }) + creditBits(depth);
}

/**
 * Drive `s`'s tready from a credit counter and `o` from a FIFO of `depth` entries named
 * `u_out_fifo`. `s_axis_tready` = (credits != 0), a function of one register; no output
 * depends combinationally on m_axis_tready. `flushN` (an active-low register of `m`, 0 under
 * reset) empties the FIFO and restores every credit in the clock it is low: a soft reset of the
 * output side, whose caller must drop its pipeline's valid bits in the same clock.
 */
export function creditOutput(m: Module, s: StreamSource, o: StreamSink, depth: number, opts: { flushN?: Signal } = {}): CreditOutput {
  const fifo = buildFifo({ width: o.width, depth, last: o.last, user: o.user });
  const u = m.instantiate('u_out_fifo', fifo.module);
  if (opts.flushN) u.withReset(opts.flushN);
  const cb = creditBits(depth);
  const credits = m.regInit('credits', cb, depth, { doc: 'free places in pipeline + FIFO' });
  const ready = m.wire('credit_ok', credits.ne(0));
  const take = m.wire('take', s.valid.and(ready));
  s.driveReady(ready);
  const src = instSource(u);
  connectStream(m, src, o);
  const pop = m.wire('pop', src.valid.and(o.readySig ?? lit(1, 1)));
  m.when(take.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(take.not()), () => credits.set(credits.add(1, cb)));
  if (opts.flushN) m.when(opts.flushN.not(), () => credits.set(depth));
  const sink = instSink(u);
  u.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  return {
    take,
    push(valid, data, last, user) {
      sink.driveValid(valid);
      sink.driveData(data);
      if (sink.last) sink.driveLast(last ?? lit(0, 1));
      if (sink.user) sink.driveUser(user ?? lit(0, 1));
    },
    flops: creditOutputFlops(o.width, depth, o.last, o.user),
  };
}
