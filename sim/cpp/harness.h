// Generic AXI4-Stream testbench engine for Verilator models.
// The generated tb_main.cpp binds the DUT's ports to the structs below and calls run_harness().
// Everything here is port-agnostic: values move as little-endian arrays of 32-bit words.
//
// Cycle model (one iteration = one clock cycle c):
//   1. the testbench decides its drive for cycle c (input tvalid/tdata, output tready) from
//      seeded random backpressure, with clk low;
//   2. eval(); every handshake that will be sampled at the coming posedge is read here, and the
//      protocol monitor compares the output streams against cycle c-1;
//   3. clk rises, eval(); registers update. Accepted beats are stamped with cycle c.
#pragma once
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace sh {

// splitmix64: tiny, seedable, identical on every platform.
struct Rng {
  uint64_t s = 0;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // true with probability p (p == 0 never draws, so full-speed runs consume no randomness).
  bool chance(double p) {
    if (p <= 0.0) return false;
    return (double)(next() >> 11) * (1.0 / 9007199254740992.0) < p;
  }
};

// A multi-bit port (or an internal signal) seen as 32-bit words.
struct Field {
  int width = 0;  // 0 = absent
  int words = 0;
  std::function<void(uint32_t*)> get;
  std::function<void(const uint32_t*)> set;
};

struct Bit {
  bool present = false;
  std::function<bool()> get;
  std::function<void(bool)> set;
};

// Beat `beat` (and every later one) of an input is offered only once another stream has
// `count` beats done: accepted by the DUT (an input) or received from it (an output).
struct Gate {
  size_t beat = 0;
  bool onInput = false;
  size_t stream = 0;  // index into Harness::ins or Harness::outs
  uint64_t count = 0;
};

struct InStream {
  std::string name;
  Field data, user;
  Bit valid, ready, last;
  // run configuration
  bool used = false;
  double gap = 0.0;
  uint64_t delay = 0;           // no beat is offered before this cycle (e.g. a DRAM's read latency)
  std::vector<Gate> gates;      // beats held back until another stream has progressed
  std::vector<uint32_t> beats;  // count * stride words: data, user, flags
  size_t count = 0, stride = 0;
  Rng rng;
  // state
  size_t next = 0;
  bool presenting = false;
  uint64_t waitRun = 0;  // consecutive cycles presenting without acceptance
  uint64_t doneCycle = 0;
  // statistics
  uint64_t stallCycles = 0;  // tvalid high, DUT tready low
  uint64_t gapCycles = 0;    // testbench chose to withhold tvalid
};

struct OutStream {
  std::string name;
  Field data, user;
  Bit valid, ready, last;
  bool passive = false;  // observed only: the testbench does not drive tready
  // run configuration
  bool used = false;
  double stall = 0.0;
  int64_t expected = -1;
  FILE* out = nullptr;
  Rng rng;
  // state
  uint64_t received = 0;
  int64_t lastBeatCycle = -1;
  bool prevPending = false;  // tvalid was high and not accepted in the previous cycle
  int64_t pendingSince = -1;
  std::vector<uint32_t> prevData, prevUser, curData, curUser;
  bool prevLast = false;
  // statistics
  uint64_t stallCycles = 0;   // DUT tvalid high, tready low
  uint64_t starveCycles = 0;  // tready high, DUT tvalid low
};

struct Harness {
  std::function<void()> eval;
  std::function<void(bool)> setClk, setRst;  // no-ops for a design without clock / reset
  std::function<void(uint64_t)> dump;  // VCD dump at a time step (no-op without --trace)
  std::function<bool(const char*)> openVcd;
  std::function<void()> closeVcd;
  std::vector<InStream> ins;
  std::vector<OutStream> outs;
  std::vector<std::pair<std::string, Field>> consts;
};

struct Failure {
  std::string kind, port, message;
  int64_t cycle = -1;
};

static std::string hexOf(const std::vector<uint32_t>& w, int width) {
  std::string s = "0x";
  char buf[16];
  bool lead = true;
  for (int i = (int)w.size() - 1; i >= 0; --i) {
    uint32_t v = w[i];
    if (i == (int)w.size() - 1 && width % 32) v &= (uint32_t)((1ull << (width % 32)) - 1);
    if (lead) {
      if (v == 0 && i > 0) continue;
      snprintf(buf, sizeof buf, "%" PRIx32, v);
      lead = false;
    } else {
      snprintf(buf, sizeof buf, "%08" PRIx32, v);
    }
    s += buf;
  }
  return s;
}

static std::string jsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if (c == '\n') o += "\\n";
    else if ((unsigned char)c < 0x20) o += ' ';
    else o += c;
  }
  return o;
}

static bool readFile(const std::string& path, std::vector<uint32_t>& words) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return false;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  words.resize((size_t)n / 4);
  size_t got = words.empty() ? 0 : fread(words.data(), 4, words.size(), f);
  fclose(f);
  return got == words.size();
}

static void die(const std::string& msg) {
  fprintf(stderr, "harness: %s\n", msg.c_str());
  exit(2);
}

static int strideOf(const Field& d, const Field& u) { return d.words + u.words + 1; }

// Config file: one directive per line, whitespace separated (paths never contain spaces).
struct Config {
  uint64_t seed = 1, resetCycles = 4, maxCycles = 10000000, liveness = 20000, settle = 200, tail = 32;
  std::string vcd, result;
};

static InStream* findIn(Harness& h, const std::string& n) {
  for (auto& s : h.ins) if (s.name == n) return &s;
  return nullptr;
}
static OutStream* findOut(Harness& h, const std::string& n) {
  for (auto& s : h.outs) if (s.name == n) return &s;
  return nullptr;
}

static uint64_t portSeed(uint64_t seed, const std::string& name, uint64_t salt) {
  uint64_t h = 1469598103934665603ull ^ salt;  // FNV-1a over the port name
  for (char c : name) h = (h ^ (uint8_t)c) * 1099511628211ull;
  Rng r;
  r.s = seed ^ h;
  return r.next();
}

static Config parseConfig(Harness& h, const char* path) {
  Config c;
  FILE* f = fopen(path, "r");
  if (!f) die(std::string("cannot open config ") + path);
  char line[8192];
  while (fgets(line, sizeof line, f)) {
    char key[64] = {0}, a[4096] = {0}, b[4096] = {0}, d[4096] = {0}, e[4096] = {0};
    int afterA = 0;  // offset just past the first argument (const values follow it)
    sscanf(line, "%63s %4095s%n", key, a, &afterA);
    int n = sscanf(line, "%63s %4095s %4095s %4095s %4095s", key, a, b, d, e);
    if (n <= 0) continue;
    std::string k = key;
    if (k == "seed") c.seed = strtoull(a, nullptr, 10);
    else if (k == "reset_cycles") c.resetCycles = strtoull(a, nullptr, 10);
    else if (k == "max_cycles") c.maxCycles = strtoull(a, nullptr, 10);
    else if (k == "liveness") c.liveness = strtoull(a, nullptr, 10);
    else if (k == "settle") c.settle = strtoull(a, nullptr, 10);
    else if (k == "tail") c.tail = strtoull(a, nullptr, 10);
    else if (k == "vcd") c.vcd = a;
    else if (k == "result") c.result = a;
    else if (k == "in") {  // in <port> <gap> <beats file>
      InStream* s = findIn(h, a);
      if (!s) die(std::string("no input stream ") + a);
      s->used = true;
      s->gap = atof(b);
      if (!readFile(d, s->beats)) die(std::string("cannot read ") + d);
      s->stride = strideOf(s->data, s->user);
      s->count = s->beats.size() / s->stride;
      s->rng.s = portSeed(c.seed, s->name, 1);
    } else if (k == "delay") {  // delay <port> <cycles> (after its `in` line)
      InStream* s = findIn(h, a);
      if (!s) die(std::string("no input stream ") + a);
      s->delay = strtoull(b, nullptr, 10);
    } else if (k == "after") {  // after <input port> <beat> <stream> <count> (after its `in` line)
      InStream* s = findIn(h, a);
      if (!s) die(std::string("no input stream ") + a);
      Gate g;
      g.beat = strtoull(b, nullptr, 10);
      g.count = strtoull(e, nullptr, 10);
      bool found = false;
      for (size_t i = 0; i < h.ins.size() && !found; ++i)
        if (h.ins[i].name == d) { g.onInput = true; g.stream = i; found = true; }
      for (size_t i = 0; i < h.outs.size() && !found; ++i)
        if (h.outs[i].name == d) { g.onInput = false; g.stream = i; found = true; }
      if (!found) die(std::string("no stream ") + d);
      s->gates.push_back(g);
    } else if (k == "out") {  // out <port> <stall> <expected|-1> <beats file>
      OutStream* s = findOut(h, a);
      if (!s) die(std::string("no output stream ") + a);
      s->used = true;
      s->stall = atof(b);
      s->expected = strtoll(d, nullptr, 10);
      s->out = fopen(e, "wb");
      if (!s->out) die(std::string("cannot write ") + e);
      s->rng.s = portSeed(c.seed, s->name, 2);
    } else if (k == "const") {  // const <port> <w0> <w1> ... (hex words, least significant first)
      bool found = false;
      for (auto& p : h.consts) {
        if (p.first != a) continue;
        found = true;
        std::vector<uint32_t> w(p.second.words, 0);
        const char* cur = line + afterA;
        for (int i = 0; i < p.second.words; ++i) {
          char* endp;
          w[i] = (uint32_t)strtoul(cur, &endp, 16);
          cur = endp;
        }
        p.second.set(w.data());
      }
      if (!found) die(std::string("no constant input ") + a);
    } else die("unknown config directive " + k);
  }
  fclose(f);
  return c;
}

static void writeResult(const Config& c, Harness& h, const Failure* fail, uint64_t cycles, double wall) {
  FILE* f = fopen(c.result.c_str(), "w");
  if (!f) die("cannot write result " + c.result);
  fprintf(f, "{\"status\":\"%s\",\"cycles\":%" PRIu64 ",\"wall_s\":%.6f", fail ? fail->kind.c_str() : "ok", cycles, wall);
  if (fail)
    fprintf(f, ",\"failure\":{\"cycle\":%" PRId64 ",\"port\":\"%s\",\"message\":\"%s\"}", fail->cycle,
            jsonEscape(fail->port).c_str(), jsonEscape(fail->message).c_str());
  fprintf(f, ",\"inputs\":{");
  bool first = true;
  for (auto& s : h.ins) {
    if (!s.used) continue;
    fprintf(f, "%s\"%s\":{\"sent\":%zu,\"of\":%zu,\"stallCycles\":%" PRIu64 ",\"gapCycles\":%" PRIu64 ",\"doneCycle\":%" PRIu64 "}",
            first ? "" : ",", s.name.c_str(), s.next, s.count, s.stallCycles, s.gapCycles, s.doneCycle);
    first = false;
  }
  fprintf(f, "},\"outputs\":{");
  first = true;
  for (auto& s : h.outs) {
    if (!s.used) continue;
    fprintf(f, "%s\"%s\":{\"received\":%" PRIu64 ",\"stallCycles\":%" PRIu64 ",\"starveCycles\":%" PRIu64 ",\"lastBeatCycle\":%" PRId64 "}",
            first ? "" : ",", s.name.c_str(), s.received, s.stallCycles, s.starveCycles, s.lastBeatCycle);
    first = false;
  }
  fprintf(f, "}}\n");
  fclose(f);
}

static void presentBeat(InStream& s) {
  const uint32_t* b = &s.beats[s.next * s.stride];
  s.data.set(b);
  if (s.user.width) s.user.set(b + s.data.words);
  if (s.last.present) s.last.set((b[s.stride - 1] & 1u) != 0);
}

// Reads the output stream's current values into cur*, runs the protocol monitor, returns fire.
// Rule 1 of generators/blocks/axis/README.md: tvalid low in reset and in the first cycle after it.
static bool observe(OutStream& s, int64_t cycle, bool inReset, Failure& fail) {
  bool v = s.valid.get();
  if (inReset || cycle == 0) {
    if (v) {
      fail = {"protocol", s.name,
              s.name + "_tvalid is high " + (inReset ? "during reset (rst_n low)" : "in the first cycle after reset") + "; AXI4-Stream requires it low", cycle};
      return false;
    }
    if (inReset) return false;
  }
  bool r = s.ready.present ? s.ready.get() : true;
  if (v || s.prevPending) {
    s.data.get(s.curData.data());
    if (s.user.width) s.user.get(s.curUser.data());
  }
  bool l = s.last.present && v ? s.last.get() : false;
  if (s.prevPending) {
    std::string since = " (beat offered at cycle " + std::to_string(s.pendingSince) + ", not yet accepted)";
    if (!v) {
      fail = {"protocol", s.name, s.name + "_tvalid dropped before the handshake" + since, cycle};
      return false;
    }
    if (s.curData != s.prevData) {
      fail = {"protocol", s.name,
              s.name + "_tdata changed while stalled: was " + hexOf(s.prevData, s.data.width) + ", now " + hexOf(s.curData, s.data.width) + since,
              cycle};
      return false;
    }
    if (s.user.width && s.curUser != s.prevUser) {
      fail = {"protocol", s.name,
              s.name + "_tuser changed while stalled: was " + hexOf(s.prevUser, s.user.width) + ", now " + hexOf(s.curUser, s.user.width) + since,
              cycle};
      return false;
    }
    if (s.last.present && l != s.prevLast) {
      fail = {"protocol", s.name, s.name + "_tlast changed while stalled: was " + std::to_string(s.prevLast) + ", now " + std::to_string(l) + since, cycle};
      return false;
    }
  }
  bool fire = v && r;
  if (v && !r) {
    s.stallCycles++;
    if (!s.prevPending) s.pendingSince = cycle;
    s.prevPending = true;
    s.prevData = s.curData;
    s.prevUser = s.curUser;
    s.prevLast = l;
  } else {
    s.prevPending = false;
  }
  if (!v && r) s.starveCycles++;
  if (fire) {
    uint32_t cyc[2] = {(uint32_t)cycle, (uint32_t)((uint64_t)cycle >> 32)};
    uint32_t flags = l ? 1u : 0u;
    fwrite(cyc, 4, 2, s.out);
    fwrite(s.curData.data(), 4, s.curData.size(), s.out);
    if (s.user.width) fwrite(s.curUser.data(), 4, s.curUser.size(), s.out);
    fwrite(&flags, 4, 1, s.out);
    s.received++;
    s.lastBeatCycle = cycle;
  }
  return fire;
}

static bool gatesOpen(const Harness& h, const InStream& s) {
  for (const Gate& g : s.gates) {
    if (g.beat > s.next) continue;
    uint64_t done = g.onInput ? (uint64_t)h.ins[g.stream].next : h.outs[g.stream].received;
    if (done < g.count) return false;
  }
  return true;
}

static int run_harness(Harness& h, int argc, char** argv) {
  if (argc < 2) die("usage: tb <config file>");
  Config c = parseConfig(h, argv[1]);
  if (c.result.empty()) die("config lacks 'result'");
  for (auto& s : h.outs) {
    s.curData.assign(s.data.words, 0);
    s.curUser.assign(s.user.words, 0);
  }
  if (!c.vcd.empty() && !h.openVcd(c.vcd.c_str())) die("VCD requested but this build has no --trace support");
  Failure fail;
  uint64_t t = 0;
  // Synchronous reset: inputs idle, outputs not ready.
  for (auto& s : h.ins) if (s.used || s.valid.present) s.valid.set(false);
  for (auto& s : h.outs) if (!s.passive && s.ready.present) s.ready.set(false);
  h.setRst(false);
  for (uint64_t i = 0; i < c.resetCycles && fail.kind.empty(); ++i) {
    h.setClk(false);
    h.eval();
    h.dump(t++);
    // Registers are only defined after the first reset edge.
    if (i > 0)
      for (auto& s : h.outs)
        if (s.used) observe(s, -(int64_t)(c.resetCycles - i), true, fail);
    h.setClk(true);
    h.eval();
    h.dump(t++);
  }
  h.setRst(true);
  auto t0 = std::chrono::steady_clock::now();
  uint64_t cycle = 0;
  int64_t tailStart = -1, quietSince = 0;
  bool allInDone = false;
  while (fail.kind.empty()) {
    for (auto& s : h.ins) {
      if (!s.used) continue;
      // The testbench obeys rule 1 too: nothing is offered in the first cycle after reset.
      if (!s.presenting && s.next < s.count && cycle > 0 && cycle >= s.delay && gatesOpen(h, s)) {
        s.presenting = !s.rng.chance(s.gap);
        if (s.presenting) presentBeat(s);
      }
      s.valid.set(s.presenting);
    }
    for (auto& s : h.outs)
      if (s.used && !s.passive && s.ready.present) s.ready.set(!s.rng.chance(s.stall));
    h.setClk(false);
    h.eval();
    h.dump(t++);
    for (auto& s : h.ins) {
      if (!s.used) continue;
      bool r = s.ready.present ? s.ready.get() : true;
      if (s.presenting && r) {
        s.presenting = false;
        s.waitRun = 0;
        if (++s.next == s.count) s.doneCycle = cycle;
      } else if (s.presenting) {
        s.stallCycles++;
        s.waitRun++;
      } else if (s.next < s.count) {
        s.gapCycles++;
      }
    }
    bool anyBeat = false;
    for (auto& s : h.outs)
      if (s.used && fail.kind.empty()) anyBeat |= observe(s, (int64_t)cycle, false, fail);
    if (!fail.kind.empty()) break;
    h.setClk(true);
    h.eval();
    h.dump(t++);
    cycle++;
    // Termination: every input sent, every output with a known count complete, then a short tail
    // (to catch extra beats); outputs of unknown length must stay quiet for `settle` cycles.
    if (!allInDone) {
      allInDone = true;
      for (auto& s : h.ins) if (s.used && s.next < s.count) allInDone = false;
      if (allInDone) quietSince = cycle;
    }
    bool unknownBeat = false;
    if (anyBeat)
      for (auto& s : h.outs) if (s.used && s.expected < 0 && s.lastBeatCycle == (int64_t)cycle - 1) unknownBeat = true;
    if (unknownBeat) quietSince = cycle;
    bool countsDone = true, anyUnknown = false;
    for (auto& s : h.outs) {
      if (!s.used) continue;
      if (s.expected < 0) anyUnknown = true;
      else if ((int64_t)s.received < s.expected) countsDone = false;
    }
    if (allInDone && countsDone) {
      if (tailStart < 0) tailStart = (int64_t)cycle;
      bool tailDone = (int64_t)cycle - tailStart >= (int64_t)c.tail;
      bool quietDone = !anyUnknown || (int64_t)cycle - quietSince >= (int64_t)c.settle;
      if (tailDone && quietDone) break;
    }
    // Liveness: a stuck port is reported by name instead of hanging.
    for (auto& s : h.ins) {
      if (s.used && s.waitRun >= c.liveness) {
        fail = {"liveness", s.name,
                "no beat accepted on " + s.name + " for " + std::to_string(s.waitRun) + " cycles (" + s.name + "_tready held low with a beat pending; " +
                    std::to_string(s.next) + " of " + std::to_string(s.count) + " beats accepted)",
                (int64_t)cycle};
        break;
      }
    }
    for (auto& s : h.outs) {
      if (!fail.kind.empty()) break;
      if (!s.used || s.expected < 0 || (int64_t)s.received >= s.expected) continue;
      int64_t since = s.lastBeatCycle < 0 ? 0 : s.lastBeatCycle + 1;
      if ((int64_t)cycle - since >= (int64_t)c.liveness)
        fail = {"liveness", s.name,
                "no output for " + std::to_string((int64_t)cycle - since) + " cycles on " + s.name + " (" + std::to_string(s.received) + " of " +
                    std::to_string(s.expected) + " expected beats received)",
                (int64_t)cycle};
    }
    if (fail.kind.empty() && cycle >= c.maxCycles) {
      std::string pend;
      for (auto& s : h.ins) if (s.used && s.next < s.count) pend += " " + s.name + " " + std::to_string(s.next) + "/" + std::to_string(s.count) + " sent;";
      for (auto& s : h.outs) if (s.used && s.expected >= 0) pend += " " + s.name + " " + std::to_string(s.received) + "/" + std::to_string(s.expected) + " received;";
      fail = {"cycle_cap", "", "cycle cap of " + std::to_string(c.maxCycles) + " reached before the run completed:" + pend, (int64_t)cycle};
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  h.closeVcd();
  for (auto& s : h.outs) if (s.out) fclose(s.out);
  writeResult(c, h, fail.kind.empty() ? nullptr : &fail, cycle, wall);
  return fail.kind.empty() ? 0 : 1;
}

}  // namespace sh
