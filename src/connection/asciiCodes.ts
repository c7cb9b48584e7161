// The bytes the line protocols' answers are cut and read by, for the readers of every protocol.

export const SPACE = 0x20;
export const CR = 0x0d;
export const LF = 0x0a;
export const MINUS = 0x2d;
export const ZERO = 0x30;
export const NINE = 0x39;
