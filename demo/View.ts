import type { CallStats, LatencyStats } from './CallStats';
import type { ConnectionView, DemoEvent } from './Monitor';
import type { Summary } from './summary';

/** What the live views show, taken several times a second. */
export interface Live {
  /** ms since the start. */
  readonly t: number;
  readonly connection: ConnectionView;
  /** What is wrong with the link, in words; `healthy` when nothing is. */
  readonly fault: string;
  readonly ours: Side;
  readonly memjs: Side;
  readonly events: readonly DemoEvent[];
  /** What the script will do next, or who is in charge. */
  readonly script: string;
}

/** One client's calls: counts so far, latency of the calls answered in the last second, the oldest still waiting. */
export interface Side {
  readonly counts: CallStats['counts'];
  readonly recent: LatencyStats;
  readonly oldestWaitingMs: number;
}

/** One way of showing the demo: a live terminal panel, log lines, or JSON lines. */
export interface View {
  /** How often `update` wants to be called, ms. */
  readonly interval: number;
  info(line: string): void;
  event(event: DemoEvent): void;
  update(live: Live): void;
  summary(summary: Summary, live: Live): void;
  close(): void;
}
