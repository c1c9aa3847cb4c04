// `screen sim` without --verilog: the DSL blocks against their models on real val frames.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { hasBinary } from '../helpers/tools.ts';

describe('sim: default block regression', () => {
  // --max-frames 2: the accelerator on 2 frames of each sequence (the 8-frame run is the CI gate
  // of test/designs/upscaler-rtl.test.ts, same build).
  it('runs every regression on all four val sequences and reports them in JSON', function () {
    this.timeout(900_000);
    if (!hasBinary('verilator')) this.skip();
    const r = spawnSync('node', ['bin/screen.js', 'sim', '--json', '--max-frames', '2'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { ok: boolean; regressions: { name: string; ok: boolean; frames: string[]; beats: number }[] };
    assert.equal(j.ok, true);
    assert.ok(j.regressions.length >= 3);
    assert.ok(j.regressions.some((x) => x.name.startsWith('screen_core')), 'the accelerator is part of the regression');
    assert.ok(j.regressions.some((x) => x.name.includes('on 8 frames')), 'the accelerator ran 2 frames of each of the 4 sequences');
    for (const x of j.regressions) {
      assert.equal(x.ok, true, x.name);
      assert.equal(x.frames.length, 4, x.name);
      assert.ok(x.beats > 0);
    }
  });
});
