// Typed design errors of the DSL. Every error carries a stable `code`, the module path,
// the offending signal, where the user's TypeScript built it, and a suggested fix.
// exitCode 2 lets the CLI print the message without a stack trace.

/** One place in the user's source, with what happened there ("declared", "assigned"...). */
export interface SrcRef {
  what: string;
  /** `file:line` (a string, or a lazily formatted Loc). */
  at: string | { toString(): string };
}

export interface ErrorFields {
  /** Hierarchical module path (e.g. `screen_top.u_array.pe_3_4`) or the module name. */
  path: string;
  /** Signal (or port/instance/parameter) name the error is about, if any. */
  signal?: string;
  detail: string;
  refs: SrcRef[];
  fix: string;
}

export class HdlError extends Error {
  static readonly code: string = 'E_HDL';
  readonly code: string;
  readonly exitCode = 2;
  path: string;
  readonly signal: string | undefined;
  readonly detail: string;
  readonly refs: SrcRef[];
  readonly fix: string;
  constructor(f: ErrorFields) {
    super('');
    this.code = (new.target as typeof HdlError).code;
    this.name = new.target.name;
    this.path = f.path;
    this.signal = f.signal;
    this.detail = f.detail;
    this.refs = f.refs;
    this.fix = f.fix;
    this.message = this.format();
  }
  /** Re-anchor at a hierarchical path once elaboration knows where the module is used. */
  withPath(path: string): this {
    this.path = path;
    this.message = this.format();
    return this;
  }
  format(): string {
    const lines = [`${this.code} in ${this.path}${this.signal !== undefined ? ` (${this.signal})` : ''}: ${this.detail}`];
    for (const r of this.refs) lines.push(`    ${r.what} at ${r.at}`);
    if (this.fix) lines.push(`    fix: ${this.fix}`);
    return lines.join('\n');
  }
}

// One class per code so callers can `instanceof`; the docs page is docs/errors/<code>.md.
export class WidthMismatchError extends HdlError { static override readonly code = 'E_WIDTH_MISMATCH'; }
export class SignMismatchError extends HdlError { static override readonly code = 'E_SIGN_MISMATCH'; }
export class UndrivenOutputError extends HdlError { static override readonly code = 'E_UNDRIVEN_OUTPUT'; }
export class UndrivenWireError extends HdlError { static override readonly code = 'E_UNDRIVEN_WIRE'; }
export class UndrivenRegError extends HdlError { static override readonly code = 'E_UNDRIVEN_REG'; }
export class MultipleDriversError extends HdlError { static override readonly code = 'E_MULTIPLE_DRIVERS'; }
export class UnconnectedInputError extends HdlError { static override readonly code = 'E_UNCONNECTED_INPUT'; }
export class UnknownPortError extends HdlError { static override readonly code = 'E_UNKNOWN_PORT'; }
export class DuplicateNameError extends HdlError { static override readonly code = 'E_DUPLICATE_NAME'; }
export class KeywordClashError extends HdlError { static override readonly code = 'E_KEYWORD_CLASH'; }
export class BadNameError extends HdlError { static override readonly code = 'E_BAD_NAME'; }
export class CombLoopError extends HdlError { static override readonly code = 'E_COMB_LOOP'; }
export class LatchError extends HdlError { static override readonly code = 'E_LATCH'; }
export class InvalidParamError extends HdlError { static override readonly code = 'E_INVALID_PARAM'; }
export class BadSliceError extends HdlError { static override readonly code = 'E_BAD_SLICE'; }
export class BadWidthError extends HdlError { static override readonly code = 'E_BAD_WIDTH'; }
export class LiteralOverflowError extends HdlError { static override readonly code = 'E_LITERAL_OVERFLOW'; }
export class NotAssignableError extends HdlError { static override readonly code = 'E_NOT_ASSIGNABLE'; }
export class CrossModuleError extends HdlError { static override readonly code = 'E_CROSS_MODULE'; }
export class ConstCompareError extends HdlError { static override readonly code = 'E_CONST_COMPARE'; }
export class CondWidthError extends HdlError { static override readonly code = 'E_COND_WIDTH'; }
export class UnusedSignalError extends HdlError { static override readonly code = 'E_UNUSED'; }
export class WhenOrderError extends HdlError { static override readonly code = 'E_WHEN_ORDER'; }
export class ModuleCollisionError extends HdlError { static override readonly code = 'E_MODULE_COLLISION'; }
export class RecursiveInstanceError extends HdlError { static override readonly code = 'E_RECURSIVE_INSTANCE'; }

export type HdlErrorClass = new (f: ErrorFields) => HdlError;

/** All the problems found in one elaboration, reported together. */
export class ElaborationErrors extends Error {
  readonly code = 'E_ELABORATION';
  readonly exitCode = 2;
  constructor(
    readonly top: string,
    readonly errors: HdlError[],
  ) {
    super(`${errors.length} design errors in '${top}':\n\n${errors.map((e) => e.message).join('\n\n')}`);
    this.name = 'ElaborationErrors';
  }
  /** The distinct codes, sorted; handy in tests and JSON reports. */
  get codes(): string[] {
    return [...new Set(this.errors.map((e) => e.code))].sort();
  }
}
