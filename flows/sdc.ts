// Renders the SDC for a block from constraints/clock.sdc.hbs. The same file
// feeds OpenSTA (screen synth) and OpenROAD-flow-scripts (screen pnr).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { FlowError } from './errors.ts';
import { CONSTRAINTS_DIR } from './paths.ts';

export interface SdcOptions {
  design: string;
  clockMhz: number;
  /** Top-level port names (bus names once, not per bit). */
  inputs: string[];
  outputs: string[];
  clockPort?: string;
  resetPort?: string;
  /** Input/output delay as a fraction of the period (default 0.2, the ORFS convention). */
  ioFraction?: number;
  uncertaintyNs?: number;
  outputLoadPf?: number;
}

export const SDC_DEFAULTS = {
  clockPort: 'clk',
  resetPort: 'rst_n',
  ioFraction: 0.2,
  uncertaintyNs: 0,
  // About four sky130 hd unit-drive input pins.
  outputLoadPf: 0.01,
  drivingCell: 'sky130_fd_sc_hd__inv_2',
  drivingPin: 'Y',
} as const;

/** Period in ns, rounded to the picosecond so SDC and ABC agree exactly. */
export function periodNs(clockMhz: number): number {
  return Math.round(1e6 / clockMhz) / 1000;
}

const template = Handlebars.compile(readFileSync(join(CONSTRAINTS_DIR, 'clock.sdc.hbs'), 'utf8'), { noEscape: true, strict: false });

const tclName = (n: string) => (/^[A-Za-z_][\w]*$/.test(n) ? n : `{${n}}`);

export function renderSdc(o: SdcOptions): string {
  const clockPort = o.clockPort ?? SDC_DEFAULTS.clockPort;
  if (!o.inputs.includes(clockPort)) {
    throw new FlowError('E_NO_CLOCK_PORT', `design '${o.design}' has no input port '${clockPort}' (inputs: ${o.inputs.join(', ') || 'none'}); name the clock with --clock-port`);
  }
  const resetWanted = o.resetPort ?? SDC_DEFAULTS.resetPort;
  const resetPort = o.inputs.includes(resetWanted) ? resetWanted : undefined;
  if (o.resetPort && !resetPort) {
    throw new FlowError('E_NO_RESET_PORT', `design '${o.design}' has no input port '${o.resetPort}' (inputs: ${o.inputs.join(', ')})`);
  }
  const ioFraction = o.ioFraction ?? SDC_DEFAULTS.ioFraction;
  const period = periodNs(o.clockMhz);
  const dataInputs = o.inputs.filter((p) => p !== clockPort && p !== resetPort);
  const text = template({
    design: o.design,
    clock_mhz: o.clockMhz,
    clock_port: tclName(clockPort),
    clock_name: 'clk',
    period_ns: period.toFixed(3),
    io_fraction: ioFraction,
    io_delay_ns: (period * ioFraction).toFixed(3),
    uncertainty_ns: (o.uncertaintyNs ?? SDC_DEFAULTS.uncertaintyNs).toFixed(3),
    data_inputs: dataInputs.map(tclName).join(' '),
    outputs: o.outputs.map(tclName).join(' '),
    output_load_pf: o.outputLoadPf ?? SDC_DEFAULTS.outputLoadPf,
    driven_inputs: o.inputs.filter((p) => p !== clockPort).map(tclName).join(' '),
    driving_cell: SDC_DEFAULTS.drivingCell,
    driving_pin: SDC_DEFAULTS.drivingPin,
    reset_port: resetPort ? tclName(resetPort) : '',
  });
  return text.endsWith('\n') ? text : text + '\n';
}
