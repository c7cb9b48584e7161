import type { DemoEvent } from './Monitor';
import type { Summary } from './summary';
import type { Live, View } from './View';

/** One JSON object per line, for scripts: the events, the numbers each second, the summary. */
export class JsonView implements View {
  readonly interval = 1000;

  info(line: string): void {
    this.#write({ type: 'info', message: line });
  }

  event(event: DemoEvent): void {
    this.#write({ ...event, t: Math.round(event.t) });
  }

  update(live: Live): void {
    this.#write({
      type: 'stats',
      t: Math.round(live.t),
      connection: live.connection,
      ours: live.ours,
      memjs: live.memjs,
    });
  }

  summary(summary: Summary): void {
    const episodes = summary.episodes.map((e) => ({
      ...e,
      detectMs: e.detectedAt === undefined ? undefined : e.detectedAt - e.faultAt,
      healMs: e.healedAt === undefined || e.restoredAt === undefined ? undefined : e.healedAt - e.restoredAt,
    }));
    this.#write({ type: 'summary', ...summary, episodes });
  }

  close(): void {}

  #write(value: object): void {
    process.stdout.write(
      `${JSON.stringify(value, (_key, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`,
    );
  }
}
