import { Resolver } from 'node:dns/promises';
import dns2 from 'dns2';

// DNS response codes (RFC 1035): dns2 3.0.0 has them as Packet.RCODE but its typings leave it out.
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;

const { Packet } = dns2;

/** The records the server answers for one name. */
export interface DnsRecords {
  readonly a?: readonly string[];
  readonly aaaa?: readonly string[];
  readonly srv?: readonly { target: string; port: number; priority?: number; weight?: number }[];
}

/**
 * A DNS server on UDP 127.0.0.1 (a free port), built on dns2, whose records a test sets at will;
 * `resolver()` is a `node:dns` Resolver asking it alone. `fail()` makes it answer SERVFAIL to
 * every question (DNS down, as a resolver sees it), `restore()` answers the records again.
 */
export class LoopbackDns {
  readonly #records = new Map<string, DnsRecords>();
  readonly #server: ReturnType<typeof dns2.createUDPServer>;
  #failing = false;
  #questions = 0;

  private constructor() {
    this.#server = dns2.createUDPServer((request, send) => {
      this.#questions++;
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (this.#failing || !question) {
        response.header.rcode = RCODE_SERVFAIL;
        send(response);
        return;
      }
      const records = this.#records.get(question.name.toLowerCase());
      if (records === undefined) response.header.rcode = RCODE_NXDOMAIN;
      const answer = (record: object) =>
        response.answers.push(
          Packet.createResourceFromQuestion(question, { class: Packet.CLASS.IN, ttl: 1, ...record }),
        );
      if (question.type === Packet.TYPE.A) {
        for (const address of records?.a ?? []) answer({ address });
      } else if (question.type === Packet.TYPE.AAAA) {
        for (const address of records?.aaaa ?? []) answer({ address });
      } else if (question.type === Packet.TYPE.SRV) {
        for (const { target, port, priority = 0, weight = 1 } of records?.srv ?? []) {
          answer({ target, port, priority, weight });
        }
      }
      send(response);
    });
    this.#server.on('error', () => {});
  }

  static async start(): Promise<LoopbackDns> {
    const dns = new LoopbackDns();
    await dns.#server.listen(0, '127.0.0.1');
    dns.#server.unref();
    return dns;
  }

  get port(): number {
    return this.#server.address().port;
  }

  /** Questions answered so far (A and AAAA are one each). */
  get questions(): number {
    return this.#questions;
  }

  /** A `node:dns` Resolver that asks this server only, once, with a short timeout. */
  resolver(): Resolver {
    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([`127.0.0.1:${this.port}`]);
    return resolver;
  }

  /** `name`'s records from now on (replacing the ones it had). */
  set(name: string, records: DnsRecords): void {
    this.#records.set(name.toLowerCase(), records);
  }

  /** `name` no longer exists: questions about it answer NXDOMAIN. */
  remove(name: string): void {
    this.#records.delete(name.toLowerCase());
  }

  fail(): void {
    this.#failing = true;
  }

  restore(): void {
    this.#failing = false;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
