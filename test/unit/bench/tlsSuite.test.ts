import { describe, expect, it } from 'vitest';
import type { Side } from '../../../bench/sideBySide';
import { RAW_SOCKETS, renderTls, type TlsRow, tlsTargets } from '../../../bench/tlsSuite';

// The raw-socket rows say how much of TLS's cost is Node's own: shown beside the protocols' ratios,
// never a target that a run can miss.
const side = (cpuPerCall: number): Side => ({
  samples: [1000],
  median: 1000,
  cpuSamples: [cpuPerCall],
  cpuPerCall,
  failed: 0,
});
const row = (protocol: TlsRow['protocol'], callers: number, cpuRatio: number): TlsRow => ({
  protocol,
  workload: 'get',
  callers,
  tcp: side(1),
  tls: side(cpuRatio),
  cpuRatio,
  rateRatio: 0.8,
});
const rows = [
  row('binary', 1, 1.41),
  row('meta', 1, 1.39),
  row('binary', 64, 1.38),
  row('meta', 64, 1.29),
  row(RAW_SOCKETS, 1, 1.47),
  row(RAW_SOCKETS, 64, 1.33),
];

describe('the tls report', () => {
  it('checks the 1.25x bar on every protocol row and on no raw-socket row', () => {
    const targets = tlsTargets(rows);
    expect(targets.map((t) => t.name)).toEqual([
      "binary get at 1 caller: TLS CPU per call <= 1.25x plain TCP's",
      "meta get at 1 caller: TLS CPU per call <= 1.25x plain TCP's",
      "binary get at 64 callers: TLS CPU per call <= 1.25x plain TCP's",
      "meta get at 64 callers: TLS CPU per call <= 1.25x plain TCP's",
    ]);
    expect(tlsTargets([row('text', 64, 1.2)])[0]!.met).toBe(true);
  });

  it("shows the raw-socket rows in the table and Node's own cost beside each protocol's, per number of callers", () => {
    const markdown = renderTls(rows);
    expect(markdown).toContain(
      '| none (raw sockets) | get, 64 callers | 1,000 | 1,000 | 1.00 | 1.33 | 1.33x | 0.80x |',
    );
    const own = markdown.slice(markdown.indexOf("Node's own TLS cost"));
    expect(own).toContain(
      '| callers | raw sockets: TLS vs TCP, CPU per call | binary: TLS vs TCP | meta: TLS vs TCP |',
    );
    expect(own).toContain('| 1 | 1.47x | 1.41x | 1.39x |');
    expect(own).toContain('| 64 | 1.33x | 1.38x | 1.29x |');
  });

  it('leaves the small table out of a run without raw-socket rows', () => {
    expect(renderTls(rows.slice(0, 4))).not.toContain("Node's own TLS cost");
  });
});
