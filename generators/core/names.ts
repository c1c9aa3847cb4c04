// Identifier rules for emitted Verilog: legal Verilog-2005 identifiers that are not
// keywords of Verilog-2005 or SystemVerilog-2017 (so the RTL also reads as SV).

const VERILOG_2005 = `always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config
deassign default defparam design disable edge else end endcase endconfig endfunction endgenerate
endmodule endprimitive endspecify endtable endtask event for force forever fork function generate
genvar highz0 highz1 if ifnone incdir include initial inout input instance integer join large
liblist library localparam macromodule medium module nand negedge nmos nor noshowcancelled not
notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup
pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat rnmos rpmos rtran
rtranif0 rtranif1 scalared showcancelled signed small specify specparam strong0 strong1 supply0
supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire
vectored wait wand weak0 weak1 while wire wor xnor xor`;

const SYSTEMVERILOG_2017 = `accept_on alias always_comb always_ff always_latch assert assume before bind bins
binsof bit break byte chandle checker class clocking const constraint context continue cover
covergroup coverpoint cross dist do endchecker endclass endclocking endgroup endinterface
endpackage endprogram endproperty endsequence enum eventually expect export extends extern final
first_match foreach forkjoin global iff ignore_bins illegal_bins implements implies import inside
int interconnect interface intersect join_any join_none let local logic longint matches modport
nettype new nexttime null package packed priority program property protected pure rand randc
randcase randsequence ref reject_on restrict return s_always s_eventually s_nexttime s_until
s_until_with sequence shortint shortreal soft solve static string strong struct super sync_accept_on
sync_reject_on tagged this throughout timeprecision timeunit type typedef union unique unique0 until
until_with untyped var virtual void wait_order weak wildcard with within`;

export const VERILOG_KEYWORDS: ReadonlySet<string> = new Set(VERILOG_2005.split(/\s+/));
export const SV_KEYWORDS: ReadonlySet<string> = new Set(SYSTEMVERILOG_2017.split(/\s+/));

/** Names the DSL itself emits in every module (implicit clock domain, unused-bit sink). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['clk', 'rst_n', '_unused_ok']);

/** Which keyword set `name` belongs to, or undefined. */
export function keywordKind(name: string): 'Verilog-2005' | 'SystemVerilog' | undefined {
  if (VERILOG_KEYWORDS.has(name)) return 'Verilog-2005';
  if (SV_KEYWORDS.has(name)) return 'SystemVerilog';
  return undefined;
}

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = editDistance(name, c);
    if (dd < bestD) [best, bestD] = [c, dd];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
