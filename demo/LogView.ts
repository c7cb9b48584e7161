import type { CallStats, LatencyStats } from './CallStats';
import type { DemoEvent } from './Monitor';
import { ms, type Summary, summaryLines } from './summary';
import type { Live, Side, View } from './View';

function latency(recent: LatencyStats): string {
  if (recent.count === 0) return 'none answered';
  return `p50 ${ms(recent.p50)} p99 ${ms(recent.p99)} max ${ms(recent.max)}`;
}

function describeEvent(event: DemoEvent): string {
  switch (event.type) {
    case 'fault':
      return `${event.fault === 'none' ? 'restore' : 'fault'}: ${event.say}${event.by === 'key' ? ' (key)' : ''}`;
    case 'state':
      return `state: ${event.from} -> ${event.to} (${event.failures} consecutive failures)`;
    case 'probe':
      return event.failedProbes === 0
        ? `probe: first reconnect probe in ${ms(event.inMs)}`
        : `probe: probe ${event.failedProbes} failed; next in ${ms(event.inMs)}`;
  }
}

/** Plain log lines, for a pipe or a CI log: every event, and the calls of the last second, each second. */
export class LogView implements View {
  readonly interval = 1000;
  readonly #last = new Map<string, CallStats['counts']>();

  info(line: string): void {
    console.log(line);
  }

  event(event: DemoEvent): void {
    console.log(`[${stamp(event.t)}] ${describeEvent(event)}`);
  }

  update(live: Live): void {
    const side = (name: string, now: Side) => {
      const before = this.#last.get(name) ?? { hit: 0, miss: 0, fallback: 0, pending: 0 };
      this.#last.set(name, now.counts);
      const { hit, miss, fallback, pending } = now.counts;
      const waiting = pending > 1 ? `, ${pending} waiting (oldest ${ms(now.oldestWaitingMs)})` : '';
      return `${name} cache ${hit - before.hit} miss ${miss - before.miss} fallback ${fallback - before.fallback}, ${latency(now.recent)}${waiting}`;
    };
    console.log(
      `[${stamp(live.t)}] ${live.connection.state.padEnd(12)} ${side('ours', live.ours)} | ${side('memjs', live.memjs)}`,
    );
  }

  summary(summary: Summary): void {
    for (const line of summaryLines(summary)) console.log(line);
  }

  close(): void {}
}

function stamp(t: number): string {
  return `${(t / 1000).toFixed(2).padStart(6)} s`;
}
