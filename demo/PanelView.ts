import { styleText } from 'node:util';
import type { ConnectionState } from '../src/api/Client';
import type { LatencyStats } from './CallStats';
import type { DemoEvent } from './Monitor';
import { ms, type Summary, seconds, summaryLines } from './summary';
import type { Live, Side, View } from './View';

const COLOR = !process.env.NO_COLOR;
type Style = Parameters<typeof styleText>[0];
type Color = 'green' | 'yellow' | 'red' | 'gray';
const paint = (style: Style, text: string) => (COLOR ? styleText(style, text) : text);
const STATE_STYLE: Record<ConnectionState, Color> = {
  connected: 'green',
  degraded: 'yellow',
  reconnecting: 'red',
  closed: 'gray',
};

/** The live panel for a terminal, redrawn in place several times a second. */
export class PanelView implements View {
  readonly interval = 200;
  readonly #header: string;
  readonly #keys: boolean;
  #lines = 0;
  #info: string[] = [];
  #lastSay = '';

  constructor(header: string, keys: boolean) {
    this.#header = header;
    this.#keys = keys;
    process.stdout.write('\x1b[?25l'); // hide the cursor while redrawing
  }

  info(line: string): void {
    this.#info.push(line);
  }

  event(event: DemoEvent): void {
    if (event.type === 'fault') this.#lastSay = event.say;
  }

  update(live: Live): void {
    const width = Math.max(40, process.stdout.columns ?? 80);
    const c = live.connection;
    const state = paint([STATE_STYLE[c.state], 'bold'], c.state.toUpperCase());
    const phase = c.phase ? ` (${c.phase})` : '';
    const probe = c.nextProbeInMs !== undefined ? `  next in ${ms(c.nextProbeInMs)}` : '';
    const fault = paint(live.fault === 'healthy' ? 'green' : 'red', live.fault);
    // One column per client, one row per number: fits an 80-column terminal.
    const row = (label: string, cell: (side: Side) => string) =>
      ` ${label.padEnd(22)}${cell(live.ours).padStart(22)}${cell(live.memjs).padStart(16)}`;
    const answered = (pick: (r: LatencyStats) => number) => (side: Side) =>
      side.recent.count > 0 ? ms(pick(side.recent)) : '-';
    const lines = [
      `${paint('bold', ' reconnecting-memcached demo')}   t = ${seconds(live.t)}   ${paint('gray', live.script)}`,
      paint('gray', ` ${this.#header}`),
      ...this.#info.map((line) => paint('gray', ` ${line}`)),
      '',
      ` link   ${fault}`,
      ` client ${state}${phase}  failures ${c.failures}/${c.allowedFailures}  failed probes ${c.failedProbes}${probe}`,
      '',
      paint('gray', ` ${''.padEnd(22)}${'reconnecting-memcached'.padStart(22)}${'plain memjs'.padStart(16)}`),
      row('from cache', (side) => String(side.counts.hit)),
      row('filled after a miss', (side) => String(side.counts.miss)),
      row('by fallback', (side) => String(side.counts.fallback)),
      row('waiting now', (side) => String(side.counts.pending)),
      row('  the oldest for', (side) => (side.oldestWaitingMs > 0 ? ms(side.oldestWaitingMs) : '-')),
      row(
        'latency (last 1 s) p50',
        answered((r) => r.p50),
      ),
      row(
        '                   p99',
        answered((r) => r.p99),
      ),
      row(
        '                   max',
        answered((r) => r.max),
      ),
      '',
      ` timeline ${timeline(live.events, width - 11)}`,
      ` ${this.#lastSay ? `> ${this.#lastSay}` : ''}`,
      this.#keys ? paint('gray', ' keys: k kill memcached  b black-hole link  s slow link  r restore  q quit') : '',
    ].map((line) => clip(line, width));
    // Back to the top of the last frame, then overwrite it line by line.
    let out = this.#lines > 0 ? `\x1b[${this.#lines}A` : '';
    for (const line of lines) out += `\x1b[2K${line}\n`;
    out += '\x1b[J';
    this.#lines = lines.length;
    process.stdout.write(out);
  }

  summary(summary: Summary, live: Live): void {
    this.update(live);
    for (const line of summaryLines(summary)) process.stdout.write(`${line}\n`);
  }

  close(): void {
    process.stdout.write('\x1b[?25h');
  }
}

/** State changes and faults on one line, the latest kept when it is too long. */
function timeline(events: readonly DemoEvent[], width: number): string {
  const parts: Array<{ text: string; plain: string }> = [];
  for (const event of events) {
    const at = (event.t / 1000).toFixed(1);
    if (event.type === 'state') {
      parts.push({ text: `${at} ${paint(STATE_STYLE[event.to], event.to)}`, plain: `${at} ${event.to}` });
    } else if (event.type === 'fault') {
      const label = event.fault === 'none' ? 'restored' : event.fault;
      const text = `${at} ${event.fault === 'none' ? '+' : '!'}${label}`;
      parts.push({ text: paint(event.fault === 'none' ? 'cyan' : 'magenta', text), plain: text });
    }
  }
  if (parts.length === 0) return `0.0 ${paint('green', 'connected')}`;
  const separator = ' > ';
  let used = 0;
  let first = parts.length;
  while (first > 0 && used + (parts[first - 1]?.plain.length ?? 0) + separator.length <= width - 2) {
    first--;
    used += (parts[first]?.plain.length ?? 0) + separator.length;
  }
  return `${first > 0 ? '.. ' : ''}${parts
    .slice(first)
    .map((part) => part.text)
    .join(separator)}`;
}

/** Cuts a line with ANSI colors to `width` visible characters, so the panel never wraps. */
function clip(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width - 1) continue;
    out += line[i];
    visible++;
  }
  return out;
}
