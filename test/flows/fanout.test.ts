// The synthesis report's fanout figures (issue 6: state the largest fanout of the netlist):
// a design whose largest net is known exactly (fixtures/fanout.v), through the flow end to end.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { formatSynthReport } from '../../flows/synth/format.ts';
import { synthesize, type SynthReport } from '../../flows/synth/run.ts';
import { useScratch } from './helpers.ts';

describe('flows/synth fanout report', () => {
  const s = useScratch('fanout');
  let r: SynthReport;

  before(async () => {
    r = await synthesize({ design: 'fanout', files: [join(FIXTURES_DIR, 'fanout.v')], top: 'fanout_tree', corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'w') });
  });

  it('names the largest net and counts its leaf loads through the 24 leaf instances', () => {
    assert.deepEqual(
      { net: r.max_fanout.net, module: r.max_fanout.module, fanout: r.max_fanout.fanout },
      { net: 'en_r', module: 'fanout_tree', fanout: 24 },
    );
    assert.match(r.max_fanout.driver, /\/Q \(sky130_fd_sc_hd__dfxtp_\d\)$/);
    // No reset port: the logic-only figure is the same net; the clock is counted apart.
    assert.equal(r.max_fanout_logic.fanout, 24);
    assert.equal(r.clock_fanout?.fanout, 25);
    assert.equal(r.input_fanout.d, 1);
    assert.equal(r.top_fanout[0].net, 'en_r');
    assert.ok(r.top_fanout.slice(1).every((n) => n.fanout <= 2), JSON.stringify(r.top_fanout));
  });

  it('states the largest fanout in the text summary', () => {
    const text = formatSynthReport(r);
    assert.match(text, /^fanout {5}max 24: fanout_tree\.en_r driven by /m);
    assert.match(text, /clock 25 \(ideal/);
  });

  it('keeps per-block reset copies apart instead of merging them into one flop', async () => {
    const rc = await synthesize({ design: 'reset-copies', files: [join(FIXTURES_DIR, 'reset_copies.v')], top: 'reset_copies', corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'rc') });
    const top = rc.modules.find((m) => m.module === 'reset_copies')!;
    // rst_n_a and rst_n_b stay two flops; the duplicate data registers dup_a/dup_b still merge.
    assert.equal(top.flops, 3);
    const copies = rc.top_fanout.filter((n) => n.module === 'reset_copies' && /^rst_n_[ab]$/.test(n.net));
    assert.deepEqual(copies.map((n) => [n.net, n.fanout]).sort(), [['rst_n_a', 8], ['rst_n_b', 8]]);
    assert.equal(rc.input_fanout.rst_n, 2);
  });
});
