import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { parsePath } from '../../flows/sta.ts';
import { vcdInputActivity } from '../../flows/synth/vcd.ts';
import { readLiberty, writeDontUseLiberty } from '../../flows/liberty.ts';
import { resolvePdk } from '../../flows/pdk.ts';
import { useScratch } from './helpers.ts';

describe('flows parsers', () => {
  const s = useScratch('lib');
  it('reads a report_checks path: endpoints, stages, arrival, slack', () => {
    const p = parsePath(readFileSync(join(FIXTURES_DIR, 'sta_path.txt'), 'utf8'));
    assert.ok(p);
    assert.equal(p.startpoint, 'g_r[0].g_c[1].g_p.u_cell/_546_');
    assert.equal(p.endpoint, 'g_r[0].g_c[1].g_p.u_cell/_561_');
    // launching flop + and2 + maj3 + nand3; the capturing flop is not a stage.
    assert.equal(p.stages, 4);
    assert.deepEqual(p.cells, ['sky130_fd_sc_hd__dfrtp_1', 'sky130_fd_sc_hd__and2_0', 'sky130_fd_sc_hd__maj3_1', 'sky130_fd_sc_hd__nand3_1']);
    assert.equal(p.delay_ns, 1.147);
    assert.equal(p.slack_ns, 4.287);
    assert.equal(p.kind, 'reg-to-reg');
    assert.equal(parsePath('No paths found.'), null);
  });

  it('computes per-input toggle rate and duty from a VCD', () => {
    // .txt: *.vcd is git-ignored in this repo.
    const act = vcdInputActivity(join(FIXTURES_DIR, 'ports.vcd.txt'), ['clk', 'en', 'd'], 'clk');
    const by = Object.fromEntries(act.map((a) => [a.port, a]));
    assert.deepEqual(Object.keys(by).sort(), ['d', 'en']);
    // 4 clock rises; en toggles twice, d's 4 bits toggle 8 times in all.
    assert.equal(by.en.activity, 0.5);
    assert.equal(by.en.duty, 0.5);
    assert.equal(by.d.activity, 0.5);
    assert.equal(by.d.duty, 0.4375);
  });

  it('reads liberty areas and flop kinds, and marks lpflow cells dont_use', () => {
    const pdk = resolvePdk('tt');
    const lib = readLiberty(pdk.liberty);
    const ff = lib.cells.get('sky130_fd_sc_hd__dfxtp_1');
    assert.ok(ff && ff.kind === 'flop' && Math.abs(ff.area - 20.0192) < 1e-3, `dfxtp_1: ${JSON.stringify(ff)}`);
    assert.ok(ff.clockPins.has('CLK') && ff.pins.get('Q') === 'output');
    assert.equal(lib.cells.get('sky130_fd_sc_hd__nand2_1')?.kind, 'comb');
    const marked = writeDontUseLiberty(pdk.liberty, join(s.dir, 'm.lib'));
    assert.ok(marked.length > 10 && marked.every((c) => /lpflow|probe/.test(c)));
    assert.equal((readFileSync(join(s.dir, 'm.lib'), 'utf8').match(/dont_use : true;/g) ?? []).length, marked.length);
  });
});
