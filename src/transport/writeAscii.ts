// The numbers and value bodies of requests built in place (the line protocols' hot get and set).

const CR = 0x0d;
const LF = 0x0a;

/** Writes `n`, a whole number in [0, 2^32) (validated before), in decimal; returns where it ends. */
export function writeDecimal(buf: Buffer, at: number, n: number): number {
  // Below 2^31 the digits come from int32 arithmetic, which V8 turns into multiplications: float
  // divisions made a request id's digits a noticeable part of a get.
  if (n > 0x7fffffff) return writeLargeDecimal(buf, at, n);
  const end = at + decimalDigits(n);
  let rest = n;
  for (let i = end - 1; i > at; i--) {
    const next = (rest / 10) | 0;
    buf[i] = 0x30 + rest - next * 10;
    rest = next;
  }
  buf[at] = 0x30 + rest;
  return end;
}

function decimalDigits(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  return n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
}

function writeLargeDecimal(buf: Buffer, at: number, n: number): number {
  let rest = n;
  for (let i = at + 9; i >= at; i--) {
    buf[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + 10;
}

/** Writes the end of a store's line, `\r\n<value>\r\n`, at `at`; returns where it ends. */
export function writeBody(buf: Buffer, at: number, value: Buffer): number {
  buf[at] = CR;
  buf[at + 1] = LF;
  buf.set(value, at + 2);
  const end = at + 2 + value.length;
  buf[end] = CR;
  buf[end + 1] = LF;
  return end + 2;
}
