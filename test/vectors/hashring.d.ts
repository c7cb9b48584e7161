// The part of hashring 3.2 (a dev-only cross-check of ketama) that the tests use.
declare module 'hashring' {
  class HashRing {
    constructor(servers: Record<string, number>, algorithm?: string, options?: Record<string, unknown>);
    get(key: string): string;
    hashValue(key: string): number;
    find(hashValue: number): number;
    ring: Array<{ value: number; server: string }>;
  }
  export default HashRing;
}
