// Shared types of the Verilator stream harness.

export type PortDir = 'input' | 'output';

/** One top-level port of a Verilog module. */
export interface PortSpec {
  name: string;
  dir: PortDir;
  width: number;
}

/** A Verilog design ready for simulation: source files, top module, its ports. */
export interface SimDesign {
  top: string;
  /** Absolute or cwd-relative paths of Verilog/SystemVerilog files. */
  files: string[];
  ports: PortSpec[];
  /** Parameter overrides passed to Verilator as -G<name>=<value>. */
  params?: Record<string, number>;
  /**
   * Clock and synchronous active-low reset names (default: clk, rst_n, the project convention);
   * null for a design without one (a purely combinational block is still stepped cycle by cycle).
   */
  clock?: string | null;
  reset?: string | null;
}

/**
 * An AXI4-Stream interface found by port-name prefix: <prefix>_tdata, _tvalid, _tready, _tlast, _tuser.
 * `dir` is the direction of tdata: 'in' streams are driven by the testbench, 'out' streams by the DUT.
 * An 'out' stream whose tready is a DUT output (or missing) is `passive`: the testbench only observes it.
 */
export interface StreamSpec {
  name: string;
  dir: 'in' | 'out';
  dataWidth: number;
  /** 0 when there is no tuser port. */
  userWidth: number;
  hasLast: boolean;
  hasReady: boolean;
  passive: boolean;
}

/**
 * An internal stream recorded through Verilator public signals (built with --public-flat-rw).
 * `path` is the hierarchical signal prefix below the top, e.g. 'u_stage1.m_axis' for
 * u_stage1.m_axis_tdata / _tvalid / _tready / _tlast / _tuser. Widths must match the RTL.
 */
export interface TapSpec {
  name: string;
  path: string;
  dataWidth: number;
  userWidth?: number;
  hasLast?: boolean;
  hasReady?: boolean;
}

/** A beat given to the harness; numbers must be safe integers, bigints any width. */
export interface BeatIn {
  data: bigint | number;
  last?: boolean;
  user?: bigint | number | boolean;
}

/** A beat as recorded: data, tlast (false if the stream has none), tuser (0n if none). */
export interface Beat {
  data: bigint;
  last: boolean;
  user: bigint;
}

/** A recorded beat with the cycle of its handshake (cycle 0 = first cycle after reset). */
export interface TimedBeat extends Beat {
  cycle: number;
}

/** Per-port probabilities in [0, 1); a number applies to every port of that side. */
export interface Backpressure {
  /** Probability that the testbench withholds tvalid on an input in a cycle where it could present a beat. */
  inputGap?: number | Record<string, number>;
  /** Probability that the testbench drives tready low on an output in a cycle. */
  outputStall?: number | Record<string, number>;
}

export interface InputStats {
  sent: number;
  of: number;
  /** Cycles with tvalid high and the DUT's tready low. */
  stallCycles: number;
  /** Cycles the testbench withheld a beat (random gaps). */
  gapCycles: number;
  doneCycle: number;
}

export interface OutputStats {
  received: number;
  /** Cycles with the DUT's tvalid high and tready low. */
  stallCycles: number;
  /** Cycles with tready high and the DUT's tvalid low. */
  starveCycles: number;
  lastBeatCycle: number;
}

export interface SimResult {
  /** Recorded beats per output stream and tap, each with its handshake cycle. */
  outputs: Record<string, TimedBeat[]>;
  cycles: number;
  inputs: Record<string, InputStats>;
  outputStats: Record<string, OutputStats>;
  /** Wall time of the simulation loop only (no build, no file I/O). */
  wallSeconds: number;
  cyclesPerSecond: number;
  /** Whether this run had to compile the model (false = build cache hit). */
  built: boolean;
  buildSeconds: number;
  buildDir: string;
  /** The run's config and beat files, when kept (keepRunDir). */
  runDir?: string;
}
