// Public API of the screen-hdl DSL core. Blocks import from here only.
export { Module, Instance, Memory, WhenChain, SwitchBuilder } from './module.ts';
export type { ModuleOptions, SignalOptions, RegOptions, PortInfo, Stmt } from './module.ts';
export { Expr, Signal, lit, cat, rep, mux, select, MAX_WIDTH } from './expr.ts';
export type { Operand, Node, SignalKind } from './expr.ts';
export { elaborate, emitVerilog, forEachRead } from './elaborate.ts';
export type { Design, ModuleInfo } from './elaborate.ts';
export { formatLiteral } from './emit.ts';
export { canonicalJson, configHash } from './hash.ts';
export { defineParams, int, pow2, oneOf, bool, intList } from './params.ts';
export type { ParamSpec, ParamSet, ParamValues, CrossCheck } from './params.ts';
export { writeVerilog } from './write.ts';
export * from './errors.ts';
export { userLoc, markLibraryFile } from './srcloc.ts';
export { VERILOG_KEYWORDS, SV_KEYWORDS, keywordKind } from './names.ts';
export { evaluate, toSigned } from './evaluate.ts';
