// The numbers and value bodies of requests built in place (the line protocols' hot get and set).

const CR = 0x0d;
const LF = 0x0a;

/** Writes `n`, a whole number in [0, 2^32) (validated before), in decimal; returns where it ends. */
export function writeDecimal(buf: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
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
