// Typed simulation errors. Each has a string `code` and numeric `exitCode` so the CLI prints
// them as user errors; run failures carry the partial result for debugging.
import type { SimResult } from './types.ts';

export class SimError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number) {
    super(message);
    this.name = 'SimError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad harness input: unknown port, value wider than its port, missing constant input... */
export class SimInputError extends SimError {
  constructor(message: string) {
    super('E_SIM_INPUT', message, 2);
    this.name = 'SimInputError';
  }
}

/** Verilator failed to parse or compile the design or testbench. */
export class SimBuildError extends SimError {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super('E_SIM_BUILD', message, 2);
    this.name = 'SimBuildError';
  }
}

/** A failure detected while the simulation ran; `cycle` counts from reset release (negative = in reset). */
export class SimRunError extends SimError {
  constructor(
    code: string,
    message: string,
    readonly cycle: number,
    readonly port: string,
    readonly partial: SimResult,
  ) {
    super(code, message, 1);
    this.name = 'SimRunError';
  }
}

/** The DUT broke an AXI4-Stream rule on an output (see sim/README.md for the rules). */
export class ProtocolViolationError extends SimRunError {
  constructor(message: string, cycle: number, port: string, partial: SimResult) {
    super('E_SIM_PROTOCOL', message, cycle, port, partial);
    this.name = 'ProtocolViolationError';
  }
}

/** A port made no progress for the liveness window ("no output for N cycles on m_axis"). */
export class LivenessError extends SimRunError {
  constructor(message: string, cycle: number, port: string, partial: SimResult) {
    super('E_SIM_LIVENESS', message, cycle, port, partial);
    this.name = 'LivenessError';
  }
}

/** The overall cycle cap was reached before the run completed. */
export class CycleCapError extends SimRunError {
  constructor(message: string, cycle: number, partial: SimResult) {
    super('E_SIM_CYCLE_CAP', message, cycle, '', partial);
    this.name = 'CycleCapError';
  }
}

/** Two beat lists differ; `report` has the first mismatch and missing/extra counts. */
export class BeatMismatchError extends SimError {
  constructor(
    message: string,
    readonly report: unknown,
  ) {
    super('E_SIM_MISMATCH', message, 1);
    this.name = 'BeatMismatchError';
  }
}
