import assert from 'node:assert/strict';
import { CycleCapError, LivenessError, ProtocolViolationError } from '../../sim/errors.ts';
import { runStreamSim } from '../../sim/run.ts';
import { fixture } from './fixture-designs.ts';

describe('sim: protocol monitor and liveness', () => {
  it('catches tvalid dropped before the handshake, with cycle and port', async () => {
    await assert.rejects(
      runStreamSim({ design: fixture('bad_drop_valid'), inputs: {}, expect: { m_axis: 50 }, seed: 4, backpressure: { outputStall: 0.5 } }),
      (e: Error) => {
        assert.ok(e instanceof ProtocolViolationError, String(e));
        assert.equal(e.code, 'E_SIM_PROTOCOL');
        assert.equal(e.port, 'm_axis');
        assert.match(e.message, /m_axis_tvalid dropped before the handshake \(beat offered at cycle (\d+), not yet accepted\) at cycle (\d+)/);
        const [, offered, at] = /cycle (\d+), not yet.* at cycle (\d+)/.exec(e.message)!.map(Number);
        assert.equal(at, offered + 1);
        assert.equal(e.cycle, at);
        assert.equal(offered % 4, 3, 'beats are offered on cycles 3, 7, 11, ...');
        return true;
      },
    );
  });

  it('accepts the same module when it is never stalled', async () => {
    const r = await runStreamSim({ design: fixture('bad_drop_valid'), inputs: {}, expect: { m_axis: 20 }, tailCycles: 0 });
    assert.equal(r.outputs.m_axis.length, 20);
    assert.deepEqual(r.outputs.m_axis.slice(0, 3).map((b) => b.cycle), [3, 7, 11]);
  });

  it('catches tdata changing while stalled, showing old and new values', async () => {
    await assert.rejects(
      runStreamSim({ design: fixture('bad_change_data'), inputs: {}, constInputs: { what: 0 }, expect: { m_axis: 50 }, seed: 9, backpressure: { outputStall: 0.3 } }),
      (e: Error) => {
        assert.ok(e instanceof ProtocolViolationError, String(e));
        const m = /m_axis_tdata changed while stalled: was 0x([0-9a-f]+), now 0x([0-9a-f]+)/.exec(e.message);
        assert.ok(m, e.message);
        assert.equal(parseInt(m[2], 16), parseInt(m[1], 16) + 1);
        assert.ok(e.partial.outputs.m_axis.length < 50, 'partial result attached');
        return true;
      },
    );
  });

  it('catches tlast and tuser changing while stalled', async () => {
    for (const [what, field] of [
      [1, 'tlast'],
      [2, 'tuser'],
    ] as const) {
      await assert.rejects(
        runStreamSim({ design: fixture('bad_change_data'), inputs: {}, constInputs: { what }, expect: { m_axis: 50 }, seed: 9, backpressure: { outputStall: 0.3 } }),
        (e: Error) => e instanceof ProtocolViolationError && new RegExp(`m_axis_${field} changed while stalled: was (0x)?[01], now (0x)?[01]`).test(e.message),
      );
    }
  });

  it('catches tvalid high during reset', async () => {
    await assert.rejects(runStreamSim({ design: fixture('bad_reset_valid'), inputs: {}, expect: { m_axis: 1 } }), (e: Error) => {
      assert.ok(e instanceof ProtocolViolationError);
      assert.match(e.message, /m_axis_tvalid is high during reset/);
      assert.ok(e.cycle < 0, 'reset cycles are negative');
      return true;
    });
  });

  it('fires the output liveness timeout for a module that never outputs', async () => {
    const d = fixture('never_out');
    const inputs = { s_axis: Array.from({ length: 10 }, (_, i) => ({ data: i })) };
    await assert.rejects(runStreamSim({ design: d, inputs, constInputs: { accept: 1 }, expect: { m_axis: 10 }, livenessCycles: 300 }), (e: Error) => {
      assert.ok(e instanceof LivenessError, String(e));
      assert.equal(e.port, 'm_axis');
      assert.match(e.message, /no output for 300 cycles on m_axis \(0 of 10 expected beats received\) at cycle 300/);
      assert.equal(e.partial.inputs.s_axis.sent, 10);
      return true;
    });
  });

  it('fires the input liveness timeout when tready never rises', async () => {
    const inputs = { s_axis: [{ data: 1 }] };
    await assert.rejects(runStreamSim({ design: fixture('never_out'), inputs, constInputs: { accept: 0 }, livenessCycles: 100 }), (e: Error) => {
      assert.ok(e instanceof LivenessError);
      assert.equal(e.port, 's_axis');
      assert.match(e.message, /no beat accepted on s_axis for 100 cycles .*0 of 1 beats accepted/);
      return true;
    });
  });

  it('stops at the overall cycle cap', async () => {
    const inputs = { s_axis: [{ data: 1 }] };
    await assert.rejects(
      runStreamSim({ design: fixture('never_out'), inputs, constInputs: { accept: 1 }, expect: { m_axis: 1 }, livenessCycles: 1e6, maxCycles: 500 }),
      (e: Error) => e instanceof CycleCapError && /cycle cap of 500 reached .*m_axis 0\/1 received/.test(e.message),
    );
  });

  it('ends a run with no expected counts once outputs stay quiet', async () => {
    const r = await runStreamSim({ design: fixture('never_out'), inputs: { s_axis: [{ data: 5 }] }, constInputs: { accept: 1 }, settleCycles: 50 });
    assert.equal(r.outputs.m_axis.length, 0);
    assert.equal(r.inputs.s_axis.doneCycle, 1, 'nothing is offered in the first cycle after reset');
    assert.equal(r.cycles, 52, 'input accepted in cycle 1, then 50 quiet cycles');
  });
});
