import assert from 'node:assert/strict';
import { periodNs, renderSdc } from '../../flows/sdc.ts';

describe('flows/sdc', () => {
  const base = { design: 'd', clockMhz: 180, inputs: ['clk', 'rst_n', 'en', 'a_in'], outputs: ['acc_out'] };

  it('puts the clock on clk at the period and I/O delays at 20 % of it', () => {
    const sdc = renderSdc(base);
    assert.equal(periodNs(180), 5.556);
    assert.match(sdc, /set clk_period 5\.556\n/);
    assert.match(sdc, /create_clock -name clk -period \$clk_period \[get_ports clk\]/);
    assert.match(sdc, /set_input_delay 1\.111 -clock clk \[get_ports \{ en a_in \}\]/);
    assert.match(sdc, /set_output_delay 1\.111 -clock clk \[get_ports \{ acc_out \}\]/);
    assert.match(sdc, /set_false_path -from \[get_ports rst_n\]/);
    assert.ok(sdc.endsWith('\n'));
  });

  it('leaves out the reset false path when the design has no rst_n', () => {
    const sdc = renderSdc({ ...base, inputs: ['clk', 'en'] });
    assert.doesNotMatch(sdc, /set_false_path/);
    assert.match(sdc, /set_input_delay 1\.111 -clock clk \[get_ports \{ en \}\]/);
  });

  it('scales with the clock and the I/O fraction', () => {
    const sdc = renderSdc({ ...base, clockMhz: 100, ioFraction: 0.3 });
    assert.match(sdc, /set clk_period 10\.000/);
    assert.match(sdc, /set_input_delay 3\.000 /);
  });

  it('refuses a design without the clock port, naming the ports it has', () => {
    assert.throws(() => renderSdc({ ...base, inputs: ['clock', 'en'] }), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_NO_CLOCK_PORT');
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /no input port 'clk'.*clock, en/);
      return true;
    });
  });
});
