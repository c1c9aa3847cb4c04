// Yosys techmap: a Kogge-Stone parallel-prefix carry unit for $lcu, the carry
// chain behind every adder, subtractor and comparator after `alumacc`. Yosys's
// own +/techmap.v maps $lcu as a ripple chain; this one has log2(WIDTH) levels.
// The module name sorts before techmap.v's `_90_lcu`, so techmap picks it first.
(* techmap_celltype = "$lcu" *)
module _05_kogge_stone_lcu (P, G, CI, CO);
  parameter WIDTH = 2;
  (* force_downto *) input [WIDTH-1:0] P, G;
  input CI;
  (* force_downto *) output [WIDTH-1:0] CO;
  integer i, j;
  (* force_downto *) reg [WIDTH-1:0] p, g;
  always @* begin
    p = P;
    g = G;
    g[0] = g[0] | (p[0] & CI);
    for (i = 0; i < $clog2(WIDTH); i = i + 1) begin
      // Descending j: each step reads the previous level's values below it.
      for (j = WIDTH - 1; j >= 2 ** i; j = j - 1) begin
        g[j] = g[j] | (p[j] & g[j - 2 ** i]);
        p[j] = p[j] & p[j - 2 ** i];
      end
    end
  end
  assign CO = g;
endmodule
